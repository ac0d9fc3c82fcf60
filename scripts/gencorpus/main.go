// Command gencorpus writes a realistic generated log corpus for the
// benchmark: gencorpus -size 256MB -files 4 -out DIR.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/piimap/piimap/internal/corpus"
)

func main() {
	size := flag.Int64("mb", 256, "total size in MB")
	files := flag.Int("files", 4, "number of files")
	every := flag.Int("pii-every", 200, "a personal-data line every N lines on average")
	out := flag.String("out", "bench-out/corpus", "output directory")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	per := *size << 20 / int64(*files)
	for i := 0; i < *files; i++ {
		p := filepath.Join(*out, fmt.Sprintf("app-%02d.log", i))
		f, err := os.Create(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, _, err := corpus.Write(f, per, corpus.Options{Seed: uint64(i + 1), PIIEvery: *every}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := f.Close(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
