//go:build tools

// This file pins the modules that packages still being written will use, so
// that `go mod tidy` keeps them. Delete an import once real code uses it.
package piimap

import (
	_ "github.com/alecthomas/kong"
	_ "github.com/cloudsoda/go-smb2"
	_ "github.com/dlclark/regexp2"
	_ "github.com/goccy/go-yaml"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/klauspost/compress/zstd"
	_ "github.com/ledongthuc/pdf"
	_ "github.com/ncruces/go-sqlite3"
	_ "github.com/nyaruka/phonenumbers/v2"
	_ "github.com/olekukonko/tablewriter"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/ulikunitz/xz"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/charmap"
)
