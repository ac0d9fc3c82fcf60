//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package files

import (
	"io/fs"
	"os"
)

// lstatIn returns the mode and size of the entry abs (name in the
// directory d), without following a symbolic link.
func lstatIn(_ *os.File, _, abs string) (fs.FileMode, int64, error) {
	return lstatPath(abs)
}
