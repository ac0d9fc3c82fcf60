package docfixtures

import (
	"encoding/binary"
	"math"
	"strconv"
)

// XLS returns an Excel 97–2003 workbook (a compound file with a BIFF8
// Workbook stream) of one worksheet: text cells in the shared string
// table (LABELSST), cells that parse as whole numbers as NUMBER records.
func XLS(sheet string, rows [][]string) []byte {
	le := binary.LittleEndian
	rec := func(typ uint16, data []byte) []byte {
		b := le.AppendUint16(nil, typ)
		b = le.AppendUint16(b, uint16(len(data)))
		return append(b, data...)
	}
	bof := func(dt uint16) []byte {
		return rec(0x0809, append(le.AppendUint16(le.AppendUint16(nil, 0x0600), dt), make([]byte, 12)...))
	}
	eof := rec(0x000A, nil)
	latin1 := func(s string) []byte {
		var b []byte
		for _, r := range s {
			b = append(b, byte(r))
		}
		return b
	}
	var sst []byte
	var strs []string
	index := map[string]int{}
	var cells []byte
	for r, row := range rows {
		for c, v := range row {
			head := le.AppendUint16(le.AppendUint16(le.AppendUint16(nil, uint16(r)), uint16(c)), 15)
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				cells = append(cells, rec(0x0203, le.AppendUint64(head, math.Float64bits(float64(n))))...)
				continue
			}
			i, ok := index[v]
			if !ok {
				i = len(strs)
				index[v] = i
				strs = append(strs, v)
				sst = append(sst, le.AppendUint16(nil, uint16(len([]rune(v))))...)
				sst = append(sst, 0)
				sst = append(sst, latin1(v)...)
			}
			cells = append(cells, rec(0x00FD, le.AppendUint32(head, uint32(i)))...)
		}
	}
	sst = append(le.AppendUint32(le.AppendUint32(nil, uint32(len(strs))), uint32(len(strs))), sst...)
	globals := func(off int) []byte {
		g := bof(0x0005)
		bs := le.AppendUint32(nil, uint32(off))
		bs = append(bs, 0, 0, byte(len(sheet)), 0)
		bs = append(bs, latin1(sheet)...)
		g = append(g, rec(0x0085, bs)...)
		g = append(g, rec(0x00FC, sst)...)
		return append(g, eof...)
	}
	ws := append(append(bof(0x0010), cells...), eof...)
	wb := append(globals(len(globals(0))), ws...)
	return CFB(CFBStream{Path: "Workbook", Data: wb})
}
