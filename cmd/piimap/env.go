package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/alecthomas/kong"
)

// Env is what every command runs with; tests build their own.
type Env struct {
	Ctx context.Context
	// Stdin is scanned by the target "-"; nil reads nothing.
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Version string
	Logger  *slog.Logger
	// parser is the command line's parser, for help and completion.
	parser *kong.Kong
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}
