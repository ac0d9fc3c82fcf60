package scanner

import (
	"bytes"
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/piimap/piimap/detectors"
	"github.com/piimap/piimap/sources"
)

// worker is the Sink one goroutine hands to the units it reads. It owns an
// Input that is reused for every chunk, so detection allocates nothing per
// chunk.
type worker struct {
	cfg  *Config
	in   detectors.Input
	agg  *aggregate
	emit func(detectors.Match)

	// per chunk
	chunk *sources.Chunk
	// accs are the accumulators the chunk's matches went to, by category
	// and ignore mark, naccs of them: a chunk of free text has one
	// location, and finding a match's accumulator here costs a comparison
	// of its category, where aggregate.find compares whole keys.
	accs   [8]chunkAcc
	naccs  int
	limit  int
	lineAt int   // offset up to which newlines have been counted
	lineNo int64 // line number at lineAt
	// blockLines[k] is the line number at offset k*lineBlock of the chunk,
	// for the blocks counted so far: every detector's matches start
	// counting from the nearest, so that a chunk is counted once however
	// many detectors report in it.
	blockLines []int64
	// The last key path computed in a JSON chunk, and the positions
	// [keySpanLo, keySpanHi) that have it (its string): a detector asks for
	// it as context, maybe at several positions of a value, then the match
	// asks again for its field.
	keySpanLo, keySpanHi int
	key                  string
	// spans are the strings of the chunk whose key paths were read, in
	// the order of their contents' offsets (the readers read forward, and
	// a string read again after a rewind is not kept twice): the next
	// detector asks about the same values. spanAt is where the last lookup
	// ended (findSpan).
	spans  []keySpan
	spanAt int
	// tellString is keyString, which the key reader tells the strings it
	// reads past (kept in spans); toldTo is the end of the last JSON line
	// whose strings it told, in the chunk.
	tellString func(lo, hi int, path string)
	toldTo     int
	// walk reads the member values of a JSON chunk (jsonColumns), from
	// walkBase; keyWords and keyPaths cache what raw keys and key paths
	// say (detectors.ClassifyColumn, ClassifyKey).
	walk     sources.JSONKeyReader
	xwalk    sources.XMLKeyReader
	ywalk    sources.YAMLKeyReader
	walkRd   pathReader
	walkBase int
	// envSpans are the values of the current document chunk's
	// {name: NAME, value: …} settings with their key paths under NAME
	// (envPath), read on first use (envRead).
	envSpans []envSpan
	envRead  bool
	// kind is the text kind (textKind) of the file at kindOf.
	kind     detectors.TextKind
	kindOf   string
	unescape func([]byte) string // a value's or key's escapes undone
	// vals are the values of a JSON or XML document's chunk that the key
	// reader told as it read for the detectors (recordValue), with their
	// key paths, for jsonColumns to count instead of reading the chunk
	// again (their keys copied to valKeys); valsOver: there were more
	// than maxVals (maxSpans). While replay is set, jsonValue's value has
	// the key path valPath.
	vals                  []docValue
	valKeys               []byte
	maxVals               int
	valsOver, replay      bool
	valPath               string
	recordFn, jsonValueFn func(key []byte, s, e int)
	keyWords              map[string]bool
	keyPaths              map[string]keyClass
	// envItem is the parent path and the name of the last {name: NAME}
	// member read, whose sibling value member (Kubernetes' and ECS's
	// env: [{name: DB_PASSWORD, value: …}]) is a value under NAME.
	envItem, envName string
	// docPaths are the key paths of the document at pathsOf that are
	// locations (docField).
	docPaths map[string]struct{}
	pathsOf  string
	// keys reads the key paths of the JSON line Buf[keyLo:keyHi] (of a
	// JSON document: the whole chunk), on from the last position asked for
	// or its nearest checkpoint. The readers tell the strings, contents
	// and lines they read past (keyString, into spans), so the detectors
	// after the first find most key paths there without reading again.
	keys         sources.JSONKeyReader
	xkeys        sources.XMLKeyReader  // an XML document's element paths
	ykeys        sources.YAMLKeyReader // a YAML document's key paths
	keyRd        pathReader            // keys, xkeys or ykeys
	spanOpen     byte                  // the byte before a string's, content's or line's start: '"', '>', '\n'
	keyLo, keyHi int
	// keyIn and keyDets (every built-in detector) tell personal row keys.
	keyIn   detectors.Input
	keyDets []detectors.Detector
	// customCats are the categories of the scan's custom detectors, which
	// an inline ignore comment may name.
	customCats []detectors.Category
	// keyDone and keyText cache the rendered row key of the chunk.
	keyDone bool
	keyText string
	// ignKnown and ignHas: whether this chunk holds an inline ignore
	// marker at all, looked up once, at its first match.
	ignKnown, ignHas bool
	// vh computes value fingerprints; nil without a value key.
	vh  *valueHasher
	vfp ValueFP
	// off marks the detectors that failed on the current unit (a custom
	// pattern past its timeout): they skip the rest of the unit.
	off []bool

	// A block of CSV fields (textFields): the fields of the column being
	// read, the offset of its content in the chunk, its matches so far.
	group []sources.Field
	// at is the field fieldIndex returned last: lookups come mostly in
	// order, so it or the next is most often the answer.
	at      int
	base    int
	det     int
	pending []pendingMatch
	emitF   func(detectors.Match)
	fieldAt func(pos int) (start, end int)

	// nameCols caches, per column name, whether it is a generic name word
	// whose values are counted by shape (aggregate.nameValues).
	nameCols map[string]bool

	// share hands chunks to waiting workers (share.go). The current
	// unit's aggregate is joined (merged so far), then segs, then w.agg,
	// in the order of the unit's chunks; handedWG counts the chunks
	// handed over that are still being scanned.
	share      *sharing
	unitChunks int // the chunks of the current unit so far
	joined     *aggregate
	segs       []segment
	failSeen   map[Failure]uint8 // the failures merged into joined (dedupFailures)
	handedWG   sync.WaitGroup
}

// nameColumn reports whether the values of the column field are counted
// by shape: its name is a generic name word (name, navn), which the values
// confirm or not.
func (w *worker) nameColumn(field string) bool {
	if field == "" || w.cfg.NoColumnNames {
		return false
	}
	is, ok := w.nameCols[field]
	if !ok {
		ev, hit := detectors.ClassifyColumn(field)
		is = hit && ev.Category == detectors.Name && ev.Confidence == detectors.Medium
		if w.nameCols == nil {
			w.nameCols = map[string]bool{}
		}
		w.nameCols[field] = is
	}
	return is
}

// pendingMatch is a match in a block of fields, held until the column's
// detectors have all run, so that matches reach the aggregate in the order
// they would have field by field: by row, then by detector.
type pendingMatch struct {
	field, det int
	m          detectors.Match
}

// keyCheckpoint is the spacing of the key reader's checkpoints in a JSON
// chunk: each detector asks for key paths from the chunk's start on, and
// reads again from the nearest checkpoint, not from the start.
const keyCheckpoint = 4 << 10

// pathReader is what reads key paths: sources.JSONKeyReader for JSON,
// sources.XMLKeyReader (element paths) for XML, sources.YAMLKeyReader for
// YAML.
type pathReader interface {
	Span(pos int) (path string, lo, hi int)
	EachValue(from, to int, fn func(key []byte, s, e int))
	CurrentPath() string
}

// docField returns path as the field of a location in the current
// document, or "" (the document itself) once the document has had
// maxDocPaths distinct key paths: a map keyed by user names
// ({"users": {"kari_n": {…}, "olah": {…}}}) would otherwise make a
// location, a finding and candidate counts per user.
func (w *worker) docField(path string) string {
	if p := w.chunk.Loc.Path; p != w.pathsOf {
		clear(w.docPaths)
		w.pathsOf = p
	}
	if _, ok := w.docPaths[path]; ok || path == "" {
		return path
	}
	if len(w.docPaths) >= maxDocPaths {
		return ""
	}
	w.docPaths[path] = struct{}{}
	return path
}

// maxDocPaths bounds the key paths of one document that are locations of
// their own.
const maxDocPaths = 1000

// keySpan is a string of a JSON chunk: its content is [lo, hi) (with its
// closing quote), and its key path is path.
type keySpan struct {
	lo, hi int32
	path   string
}

// docValue is a value of a JSON or XML document (worker.vals): the raw
// string Buf[s:e] under the raw key, at the key path path.
type docValue struct {
	key  []byte
	s, e int32
	path string
}

// keyClass is what a key path says (detectors.ClassifyKey).
type keyClass struct {
	ev detectors.ColumnEvidence
	ok bool
}

// maxKeySpans bounds the keys and key paths whose classification a
// worker remembers.
const maxKeySpans = 1 << 14

// maxSpans bounds the strings remembered per chunk (1.5 MiB of spans), and
// the member values (worker.vals): a chunk of a minified export holds tens
// of thousands of strings, and the lookups past the last one remembered
// read the chunk again.
const maxSpans = 1 << 16

// startUnit re-enables every detector for a new unit.
func (w *worker) startUnit() { clear(w.off) }

func newWorker(cfg *Config) *worker {
	w := &worker{cfg: cfg}
	for _, d := range cfg.Detectors {
		if c := d.Category(); !detectors.IsBuiltin(c) && !slices.Contains(w.customCats, c) {
			w.customCats = append(w.customCats, c)
		}
	}
	w.emit = w.match
	w.keys.SetCheckpoints(keyCheckpoint)
	w.tellString = w.keyString
	w.recordFn, w.jsonValueFn = w.recordValue, w.jsonValue
	w.maxVals = maxSpans
	w.keys.OnString(w.tellString)
	w.xkeys.OnText(w.tellString)
	w.ykeys.OnLine(w.tellString)
	w.xkeys.SetCheckpoints(keyCheckpoint)
	w.ykeys.SetCheckpoints(keyCheckpoint)
	w.keyWords = make(map[string]bool)
	w.keyPaths = make(map[string]keyClass)
	w.docPaths = make(map[string]struct{})
	if len(cfg.ValueKey) > 0 {
		w.vh = newValueHasher(cfg.ValueKey)
	}
	w.emitF = w.fieldMatch
	w.fieldAt = w.fieldBounds
	return w
}

// Text implements sources.Sink: it runs every detector over the chunk, or
// hands it to a worker waiting for work (offer).
func (w *worker) Text(ctx context.Context, c *sources.Chunk) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	// A unit's first chunk is never handed over: most units have one,
	// and their worker would only wait for it.
	w.unitChunks++
	if w.unitChunks > 1 && w.offer(c) {
		return nil
	}
	return w.text(ctx, c)
}

// text runs every detector over the chunk.
func (w *worker) text(ctx context.Context, c *sources.Chunk) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if c.Fields != nil {
		w.chunk = c
		w.ignKnown, w.keyDone = false, false
		w.textFields(c)
		w.chunk = nil
		return nil
	}
	w.chunk = c
	w.limit = c.Limit
	if w.limit <= 0 || w.limit > len(c.Data) {
		w.limit = len(c.Data)
	}
	if !c.JSON && w.nameColumn(c.Loc.Field) {
		w.agg.nameValues(c.Loc, 1, b2i(detectors.NameShaped(bytes.TrimSpace(c.Data))))
	}
	w.in.Reset(c.Data, c.Loc.Field)
	if !c.JSON && !c.Loc.Table {
		// Told once per file: a database's values come a chunk each.
		if c.Loc.Path != w.kindOf {
			w.kindOf, w.kind = c.Loc.Path, textKind(c.Loc.Path)
		}
		w.in.Kind = w.kind
	}
	w.in.Own(c.Skip, w.limit)
	w.naccs = 0
	w.blockLines = append(w.blockLines[:0], c.Line)
	w.ignKnown = false
	w.keyDone = false
	w.keySpanLo, w.keySpanHi = 0, 0
	w.keyLo, w.keyHi = 0, 0
	w.envRead = false
	if c.JSON {
		w.spans, w.spanAt = w.spans[:0], 0
		w.toldTo = 0
		w.keys.OnString(w.tellString)
		w.in.KeyAt = w.jsonKeyAt
		w.in.CandidateAt = w.jsonCandidate
		w.keyRd, w.spanOpen = &w.keys, '"'
		w.in.KeyCut = '"'
		switch {
		case c.XMLDoc != nil:
			// An XML document: element paths, from the document's
			// state at the chunk's start; its reader tells the values
			// it reads past for jsonColumns too.
			w.xkeys.ResetState(c.Data, c.XMLDoc)
			w.xkeys.OnText(w.tellString)
			w.keyRd, w.spanOpen, w.in.KeyCut = &w.xkeys, '>', '>'
			w.keyLo, w.keyHi = 0, len(c.Data)
			w.keepValues(&w.xkeys, c)
		case c.YAMLDoc != nil:
			// A YAML document: a line's values have its key's path.
			w.ykeys.ResetState(c.Data, c.YAMLDoc)
			w.keyRd, w.spanOpen, w.in.KeyCut = &w.ykeys, '\n', 0
			w.keyLo, w.keyHi = 0, len(c.Data)
		case c.JSONDoc != nil:
			// A document: one reader over the whole chunk, from the
			// document's state at its start, which tells the member
			// values it reads past for jsonColumns.
			w.keys.ResetState(c.Data, c.JSONDoc)
			w.keyLo, w.keyHi = 0, len(c.Data)
			w.keepValues(&w.keys, c)
		}
	}
	for i, d := range w.cfg.Detectors {
		if w.off != nil && w.off[i] {
			continue
		}
		w.lineAt, w.lineNo = 0, c.Line
		d.Find(&w.in, w.emit)
		if err := w.in.Failure(); err != nil {
			// The detector could not finish this input (its error never
			// quotes the input): the location is reported as a failure
			// and the detector sits out the rest of the unit.
			if w.off == nil {
				w.off = make([]bool, len(w.cfg.Detectors))
			}
			w.off[i] = true
			w.Failed(c.Loc, err)
		}
	}
	w.in.EachCandidate(w.countCandidates)
	if c.JSON && !w.cfg.NoColumnNames {
		w.jsonColumns(c)
	}
	w.keys.OnValue(nil, 0, 0)
	w.xkeys.OnValue(nil, 0, 0)
	w.chunk = nil
	return nil
}

// docReader is the key reader of a JSON or XML document, which can tell
// the values it reads past as it reads for the detectors (OnValue) and
// read on for the rest (ReadRest).
type docReader interface {
	pathReader
	OnValue(fn func(key []byte, s, e int), from, to int)
	ReadRest()
}

// keepValues makes rd, the key reader of document chunk c, keep the
// values it reads past for jsonColumns (recordValue), unless key columns
// are off.
func (w *worker) keepValues(rd docReader, c *sources.Chunk) {
	if !w.cfg.NoColumnNames {
		w.vals, w.valKeys, w.valsOver = w.vals[:0], w.valKeys[:0], false
		rd.OnValue(w.recordFn, c.Skip, w.limit)
	}
}

// recordValue keeps a value the key reader of a JSON or XML document read
// past (worker.vals), up to maxVals of them, its key copied to valKeys (an
// XML element's name is in storage the reader reuses).
func (w *worker) recordValue(key []byte, s, e int) {
	if len(w.vals) >= w.maxVals {
		w.valsOver = true
		return
	}
	n := len(w.valKeys)
	w.valKeys = append(w.valKeys, key...)
	// A JSON value's path was told just before (keyString), as its span.
	var path string
	if k := len(w.spans); k > 0 && int(w.spans[k-1].lo) == w.keyLo+s {
		path = w.spans[k-1].path
	} else {
		path = w.keyRd.CurrentPath()
	}
	w.vals = append(w.vals, docValue{w.valKeys[n:len(w.valKeys):len(w.valKeys)], int32(s), int32(e), path})
}

// readRest counts the values of document chunk c that rd, its key
// reader, kept (keepValues), with their key paths as they were read; then
// rd reads on and counts the rest. unescape undoes the document's escapes.
func (w *worker) readRest(rd docReader, unescape func([]byte) string, c *sources.Chunk) {
	w.walkRd, w.unescape = rd, unescape
	w.replay = true
	for _, v := range w.vals {
		w.valPath = v.path
		w.jsonValue(v.key, int(v.s), int(v.e))
	}
	w.replay = false
	rd.OnValue(w.jsonValueFn, c.Skip, w.limit)
	rd.ReadRest()
}

// jsonColumns counts the member values in a JSON, XML or YAML chunk's
// owned range whose keys say what they hold (detectors.ClassifyKey:
// kunder[].fornavn, author.name, db.password) at their key paths, and
// those written as such a value (detectors.KeyValueFits): a document's
// column names.
func (w *worker) jsonColumns(c *sources.Chunk) {
	w.lineAt, w.lineNo = 0, c.Line // as for a detector: none may have run
	w.walkBase, w.walkRd, w.unescape = 0, &w.walk, sources.UnescapeJSON
	w.envItem, w.envName = "", ""
	switch {
	case c.XMLDoc != nil && !w.valsOver:
		// The values the detectors' path lookups read past were kept;
		// the path reader reads on for the rest.
		w.xkeys.OnText(nil) // no more lookups: no spans to keep
		w.readRest(&w.xkeys, sources.UnescapeXML, c)
		return
	case c.XMLDoc != nil:
		w.xwalk.ResetState(c.Data, c.XMLDoc)
		w.walkRd, w.unescape = &w.xwalk, sources.UnescapeXML
	case c.YAMLDoc != nil:
		w.ywalk.ResetState(c.Data, c.YAMLDoc)
		w.walkRd, w.unescape = &w.ywalk, func(b []byte) string { return string(b) }
	case c.JSONDoc != nil && !w.valsOver:
		// As for XML.
		w.keys.OnString(nil)
		w.readRest(&w.keys, sources.UnescapeJSON, c)
		return
	case c.JSONDoc != nil:
		w.walk.ResetState(c.Data, c.JSONDoc)
	default:
		w.jsonLineColumns(c)
		return
	}
	// A document: one walk over the chunk, from its state at the start.
	w.walkRd.EachValue(c.Skip, w.limit, w.jsonValue)
}

// jsonLineColumns is jsonColumns for JSON lines: each line that starts
// before the owned range's end is walked, from the owned range's start.
func (w *worker) jsonLineColumns(c *sources.Chunk) {
	lo := bytes.LastIndexByte(c.Data[:c.Skip], '\n') + 1
	for lo < w.limit {
		hi := bytes.IndexByte(c.Data[lo:], '\n')
		if hi < 0 {
			hi = len(c.Data)
		} else {
			hi += lo
		}
		w.walk.Reset(c.Data[lo:hi])
		w.walkBase = lo
		w.walk.EachValue(max(c.Skip-lo, 0), w.limit-lo, w.jsonValue)
		lo = hi + 1
	}
}

// jsonValue counts one member value (jsonColumns): the raw string
// Buf[walkBase+s:walkBase+e] under the raw key.
func (w *worker) jsonValue(key []byte, s, e int) {
	path := "" // the value's key path, read once when it is needed
	switch string(key) {
	case "name", "Name", "key", "Key":
		// Maybe a setting's name, its value to follow: an environment
		// variable's ({name: DB_PASSWORD, value: …}), a Spring bean's
		// property (<property name="password" value="…"/>, attributes
		// being keys), a .NET appSetting (<add key="SmtpPassword"
		// value="…"/>), a tag ({"Key": …, "Value": …}).
		w.envItem, w.envName = "", ""
		if v := w.chunk.Data[w.walkBase+s : w.walkBase+e]; envName(v) {
			path = w.valueKeyPath()
			w.envItem, w.envName = parentPath(path), string(v)
		}
	case "value", "Value":
		if w.envName == "" {
			break
		}
		if path = w.valueKeyPath(); parentPath(path) == w.envItem {
			// A dotted or colon-separated name is nested keys: the
			// value is its last key's (spring.mail.password, Smtp:Password).
			last := w.envName[strings.LastIndexAny(w.envName, ".:")+1:]
			w.keyValue(w.envItem+"."+w.envName, last, s, e)
			w.envName = ""
			return
		}
	}
	hit, ok := w.keyWords[string(key)]
	if !ok {
		_, hit = detectors.KeyNames(w.unescape(key))
		if len(w.keyWords) >= maxKeySpans {
			clear(w.keyWords)
		}
		w.keyWords[string(key)] = hit
	}
	if !hit {
		return
	}
	if path == "" {
		path = w.valueKeyPath()
	}
	w.keyValue(path, w.unescape(key), s, e)
}

// textKinds are the kinds of the files named so: shells' and SQL
// clients' histories, every line a command someone ran, and credentials
// stores.
var textKinds = map[string]detectors.TextKind{
	".bash_history": detectors.History, ".zsh_history": detectors.History, ".sh_history": detectors.History,
	".ksh_history": detectors.History, ".ash_history": detectors.History, ".history": detectors.History,
	".histfile": detectors.History, "fish_history": detectors.History, ".mysql_history": detectors.History,
	".mariadb_history": detectors.History, ".psql_history": detectors.History,
	".netrc": detectors.CredentialStore, "_netrc": detectors.CredentialStore, ".pgpass": detectors.CredentialStore,
	"pgpass.conf": detectors.CredentialStore, ".git-credentials": detectors.CredentialStore,
}

// textKind returns the kind of the text of the file at path (an archive
// member's after its '!'), told by its name (detectors.Input.Kind).
func textKind(path string) detectors.TextKind {
	if k, ok := textKinds[path[strings.LastIndexAny(path, "/!")+1:]]; ok {
		return k
	}
	if databaseLog(path) {
		return detectors.DatabaseLog
	}
	return detectors.AnyText
}

// databaseLog reports whether the file at path is a database server's
// log, whose records may quote SQL statements (detectors.DatabaseLog):
// a log (".log" in its name: mysql.log, general.log.1,
// postgresql-2026-03-01.log) in a folder or with a name of MySQL,
// MariaDB or PostgreSQL (/var/log/mysql/, /var/log/postgresql/), or
// named as MySQL's general and query logs are.
func databaseLog(path string) bool {
	p := strings.ToLower(path)
	base := p[strings.LastIndexAny(p, "/!")+1:]
	if !strings.Contains(base, ".log") {
		return false
	}
	for _, w := range [...]string{"mysql", "mariadb", "postgres", "pgsql"} {
		if strings.Contains(p, w) {
			return true
		}
	}
	return strings.HasPrefix(base, "general") || strings.HasPrefix(base, "query")
}

// envSpan is the value data[s:e] of a setting written as {name: NAME,
// value: …} in a document chunk, and its key path under NAME.
type envSpan struct {
	s, e int
	path string
}

// valueKey reports whether the key path p ends with the key "value" or
// "Value": maybe a setting's value, its name in a key before it.
func valueKey(p string) bool {
	k := p[strings.LastIndexByte(p, '.')+1:]
	return k == "value" || k == "Value"
}

// xmlValueAttr reports whether pos in XML text b is in the value of a
// "value" attribute of a tag with a "key" or "name" attribute before it
// (<add key="SupportEmail" value="…"/>): where envPath can find a setting.
func xmlValueAttr(b []byte, pos int) bool {
	// A tag's start within xmlMaxTag bytes: a match deep in a long text
	// or CDATA section looks back no farther, however many it holds.
	lo := max(0, pos-xmlMaxTag)
	lt := bytes.LastIndexByte(b[lo:pos], '<')
	if lt < 0 {
		return false
	}
	lt += lo
	if bytes.IndexByte(b[lt:pos], '>') >= 0 {
		return false
	}
	t := b[lt:pos]
	q := bytes.LastIndexAny(t, `"'`)
	if q < 0 {
		return false
	}
	attr := bytes.TrimRight(t[:q], " \t\r\n")
	if !bytes.HasSuffix(attr, []byte("=")) {
		return false
	}
	attr = bytes.TrimRight(attr[:len(attr)-1], " \t\r\n")
	if !bytes.HasSuffix(attr, []byte("value")) && !bytes.HasSuffix(attr, []byte("Value")) {
		return false
	}
	for _, k := range [...]string{"key=", "Key=", "name=", "Name="} {
		if bytes.Contains(t, []byte(k)) {
			return true
		}
	}
	return false
}

// xmlMaxTag bounds how far back xmlValueAttr looks for a tag's start.
const xmlMaxTag = 4 << 10

// envPath returns the key path under its setting's name of the value at
// pos of the current document chunk (spec.containers[].env[].ADMIN_EMAIL
// for the value of {name: ADMIN_EMAIL, value: …}, whose key path is
// …env[].value), as jsonValue names the setting's column, or "" when pos
// is in no such value. The chunk's settings are read on first use, by a
// walk over the chunk from its state at the start: a setting whose name
// is in the chunk before keeps the key path of its value.
func (w *worker) envPath(pos int) string {
	if !w.envRead {
		w.envRead = true
		w.envSpans = w.envSpans[:0]
		w.readEnvSpans(w.chunk)
	}
	i, found := slices.BinarySearchFunc(w.envSpans, pos, func(sp envSpan, p int) int {
		switch {
		case sp.e <= p:
			return -1
		case sp.s > p:
			return 1
		}
		return 0
	})
	if !found {
		return ""
	}
	return w.envSpans[i].path
}

// readEnvSpans finds the {name: NAME, value: …} settings of document
// chunk c (envSpans), reading it with the readers jsonColumns reads it
// with later (each reset there).
func (w *worker) readEnvSpans(c *sources.Chunk) {
	var rd pathReader
	switch {
	case c.XMLDoc != nil:
		w.xwalk.ResetState(c.Data, c.XMLDoc)
		rd = &w.xwalk
	case c.YAMLDoc != nil:
		w.ywalk.ResetState(c.Data, c.YAMLDoc)
		rd = &w.ywalk
	case c.JSONDoc != nil:
		w.walk.ResetState(c.Data, c.JSONDoc)
		rd = &w.walk
	default:
		// JSON lines: line by line.
		for lo := 0; lo < len(c.Data); {
			hi := bytes.IndexByte(c.Data[lo:], '\n')
			if hi < 0 {
				hi = len(c.Data)
			} else {
				hi += lo
			}
			if bytes.Contains(c.Data[lo:hi], []byte(`alue"`)) {
				w.walk.Reset(c.Data[lo:hi])
				w.envSpansOf(&w.walk, c.Data, lo, hi)
			}
			lo = hi + 1
		}
		return
	}
	w.envSpansOf(rd, c.Data, 0, len(c.Data))
}

// envSpansOf appends to envSpans the settings rd reads in data[base:end].
func (w *worker) envSpansOf(rd pathReader, data []byte, base, end int) {
	var item, name string
	rd.EachValue(0, end-base, func(key []byte, s, e int) {
		switch string(key) {
		case "name", "Name", "key", "Key":
			item, name = "", ""
			if v := data[base+s : base+e]; envName(v) {
				item, name = parentPath(rd.CurrentPath()), string(v)
			}
		case "value", "Value":
			if name != "" && parentPath(rd.CurrentPath()) == item {
				w.envSpans = append(w.envSpans, envSpan{base + s, base + e, item + "." + name})
				name = ""
			}
		}
	})
}

// valueKeyPath returns the key path of the value jsonValue counts.
func (w *worker) valueKeyPath() string {
	if w.replay {
		return w.valPath
	}
	return w.walkRd.CurrentPath()
}

// keyValue counts the value Buf[walkBase+s:walkBase+e] at the key path
// path, whose last key is key, when the key says what it holds.
func (w *worker) keyValue(path, key string, s, e int) {
	kc, ok := w.keyPaths[path]
	if !ok {
		kc.ev, kc.ok = detectors.ClassifyKey(path, key)
		if len(w.keyPaths) >= maxKeySpans {
			clear(w.keyPaths)
		}
		w.keyPaths[path] = kc
	}
	if !kc.ok {
		return
	}
	v := w.unescape(w.chunk.Data[w.walkBase+s : w.walkBase+e])
	loc := w.chunk.Loc
	if loc.Field == "" {
		// (A database's JSON value is its column's.)
		if loc.Field = w.docField(path); loc.Field == "" {
			return // past the document's bound: no key to judge
		}
	}
	var line int64
	if w.chunk.Line > 0 {
		line = w.lineOf(w.walkBase + s)
	}
	w.agg.keyValue(loc, kc.ev, detectors.KeyValueFits(kc.ev.Category, v, kc.ev.Confidence == detectors.Medium), line)
}

// envName reports whether v is written as a setting's name: a letter or
// '_', then letters, digits, '_', and '.', ':' or '-' between them
// (DB_PASSWORD, spring.mail.password, Smtp:Password), at most 128 bytes.
func envName(v []byte) bool {
	if len(v) == 0 || len(v) > 128 || !(v[0] == '_' || v[0] >= 'A' && v[0] <= 'Z' || v[0] >= 'a' && v[0] <= 'z') {
		return false
	}
	for i, c := range v {
		switch {
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
		case (c == '.' || c == ':' || c == '-') && i+1 < len(v):
		default:
			return false
		}
	}
	return true
}

// parentPath is a key path without its last key: "env[]" of "env[].name".
func parentPath(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// countCandidates adds a chunk's candidate counts to its location.
func (w *worker) countCandidates(cat detectors.Category, n int, expect float64) {
	w.agg.candidates(w.chunk.Loc, cat).add(int64(n), expect)
}

// jsonCandidate counts one candidate in a JSON chunk at its key path, so
// that each key is judged on its own values (a key of valid fødselsnummer
// beside a key of random order ids).
func (w *worker) jsonCandidate(cat detectors.Category, pos int, chance float64) {
	c := w.chunk
	loc := c.Loc
	if loc.Field == "" {
		loc.Field = w.docField(w.jsonKeyAt(pos))
	}
	w.agg.candidates(loc, cat).add(1, chance)
}

// jsonKeyAt returns the key path of the value at pos within its JSON line.
func (w *worker) jsonKeyAt(pos int) string {
	if pos >= w.keySpanLo && pos < w.keySpanHi {
		return w.key // the same string
	}
	// A string another detector asked about: looked up by the quote
	// before pos (a guess that an escaped quote can spoil; the span is
	// checked).
	q := int32(bytes.LastIndexByte(w.in.Buf[:pos], w.spanOpen) + 1)
	if sp, ok := w.findSpan(q); ok && q > 0 && pos < int(sp.hi) {
		w.key, w.keySpanLo, w.keySpanHi = sp.path, int(q), int(sp.hi)
		return w.key
	}
	if pos < w.keyLo || pos >= w.keyHi {
		// Another line: the reader starts on it.
		b := w.in.Buf
		s := bytes.LastIndexByte(b[:pos], '\n') + 1
		e := bytes.IndexByte(b[pos:], '\n')
		if e < 0 {
			e = len(b)
		} else {
			e += pos
		}
		w.keyLo, w.keyHi = s, e
		w.keys.Reset(b[s:e])
		// A line's strings are kept once per chunk: a line read again
		// (by the next detector) was read before.
		if s < w.toldTo {
			w.keys.OnString(nil)
		} else {
			w.keys.OnString(w.tellString)
			w.toldTo = e
		}
	}
	var lo, hi int
	w.key, lo, hi = w.keyRd.Span(pos - w.keyLo)
	w.keySpanLo, w.keySpanHi = w.keyLo+lo, w.keyLo+hi
	w.addSpan(w.keySpanLo, w.keySpanHi, w.key)
	return w.key
}

// keyString keeps a string the JSON key reader read past (an element's
// content, for the XML reader; a line, for the YAML one), as jsonKeyAt
// keeps the one it asked about: the detectors after the first find the
// key paths of every string there, not by reading the chunk again.
func (w *worker) keyString(lo, hi int, path string) {
	w.addSpan(w.keyLo+lo, w.keyLo+hi, path)
}

// addSpan keeps the string [lo, hi) of the chunk and its key path, when it
// starts after the last one kept (a string read again after the reader
// rewound was kept the first time, or is left to the reader).
func (w *worker) addSpan(lo, hi int, path string) {
	n := len(w.spans)
	if hi-lo <= 1 || n >= maxSpans || n > 0 && int32(lo) <= w.spans[n-1].lo {
		return
	}
	w.spans = append(w.spans, keySpan{int32(lo), int32(hi), path})
}

// findSpan returns the string kept whose content starts at lo. The
// detectors ask in increasing order, each from the chunk's start: a
// lookup gallops on from where the last one ended (1, 2, 4, … spans on)
// until a span at or past lo bounds it, or searches the spans before by
// halves.
func (w *worker) findSpan(lo int32) (keySpan, bool) {
	s, at := w.spans, w.spanAt
	first, last := 0, at
	if at < len(s) && s[at].lo <= lo {
		first = at
		step := 1
		for first+step < len(s) && s[first+step].lo < lo {
			first += step
			step *= 2
		}
		last = min(first+step, len(s)) // s[first+step] is at or past lo
	}
	for first < last { // the first span of s[first:last] at or past lo
		m := int(uint(first+last) >> 1)
		if s[m].lo < lo {
			first = m + 1
		} else {
			last = m
		}
	}
	at = first
	w.spanAt = at
	if at < len(s) && s[at].lo == lo {
		return s[at], true
	}
	return keySpan{}, false
}

// match receives one detector match.
func (w *worker) match(m detectors.Match) {
	c := w.chunk
	if m.Start < c.Skip || m.Start >= w.limit {
		return // another chunk of the same stream owns it
	}
	loc := c.Loc
	if c.JSON && loc.Field == "" {
		path := w.jsonKeyAt(m.Start)
		// (An XML attribute's value has its element's path: <add
		// key="SupportEmail" value="…"/> is at …add.)
		if valueKey(path) || c.XMLDoc != nil && xmlValueAttr(c.Data, m.Start) {
			if p := w.envPath(m.Start); p != "" {
				path = p
			}
		}
		loc.Field = w.docField(path)
	}
	// The line is counted only for a finding that still collects line
	// numbers (add): an access log's client addresses are one finding of
	// a match per line, and its first MaxLines lines are all it keeps.
	w.add(loc, m, m.Start, lineLater, c.Row)
}

// chunkAcc is an accumulator of the current chunk's location (worker.accs).
type chunkAcc struct {
	cat     detectors.Category
	ignored bool
	f       *acc
}

// chunkFind is aggregate.find for the current chunk's location, loc.
func (w *worker) chunkFind(loc sources.Location, cat detectors.Category, ignored bool) *acc {
	for i := range w.accs[:w.naccs] {
		if a := &w.accs[i]; a.cat == cat && a.ignored == ignored {
			return a.f
		}
	}
	f := w.agg.find(loc, cat, ignored)
	if w.naccs < len(w.accs) {
		w.accs[w.naccs] = chunkAcc{cat, ignored, f}
		w.naccs++
	}
	return f
}

// lineLater asks add to count the match's line itself, when the finding
// still keeps line numbers.
const lineLater = -1

// lineBlock is the spacing of the line numbers a worker keeps per chunk.
const lineBlock = 512

// lineOf returns the line number of offset pos in the current chunk:
// counted on from the detector's previous match, or from the nearest block
// below pos when that is nearer (or the match is out of order).
func (w *worker) lineOf(pos int) int64 {
	if w.chunk.OneLine {
		return w.chunk.Line // an item's number: a message of a mailbox folder
	}
	data := w.chunk.Data
	k := pos / lineBlock
	for len(w.blockLines) <= k {
		j := len(w.blockLines)
		w.blockLines = append(w.blockLines, w.blockLines[j-1]+int64(bytes.Count(data[(j-1)*lineBlock:j*lineBlock], nl)))
	}
	if at := k * lineBlock; pos < w.lineAt || w.lineAt < at {
		w.lineAt, w.lineNo = at, w.blockLines[k]
	}
	w.lineNo += int64(bytes.Count(data[w.lineAt:pos], nl))
	w.lineAt = pos
	return w.lineNo
}

var nl = []byte{'\n'}

// Column implements sources.Sink.
func (w *worker) Column(c sources.Column) { w.agg.column(c) }

// Table implements sources.Sink.
func (w *worker) Table(t sources.Table) { w.agg.tables = append(w.agg.tables, t) }

// Failed implements sources.Sink.
func (w *worker) Failed(loc sources.Location, err error) {
	w.agg.fail(loc, err)
	// Each failure is logged once, at debug level: the report lists them
	// all, and the summary on stderr groups them by reason.
	w.cfg.Logger.Debug("could not read", "location", loc.String(), "err", err)
}

// Skipped implements sources.Sink.
func (w *worker) Skipped(loc sources.Location, reason string) {
	w.agg.skip(loc, reason)
	w.cfg.Logger.Debug("skipped", "location", loc.String(), "reason", reason)
}

// Scanned implements sources.Sink.
func (w *worker) Scanned(loc sources.Location, n, rows int64) {
	a := w.agg
	if loc.Table {
		a.tablesDone++
	} else {
		a.files++
	}
	a.bytes += n
	a.rows += rows
}

// textFields runs the detectors over a block of CSV fields, once per
// column: the column's fields are consecutive in the block, separated by
// sources.FieldSep, and its name is their key, as when each field was its
// own chunk. Matches and candidate counts go to the field's column.
func (w *worker) textFields(c *sources.Chunk) {
	loc := c.Loc
	for lo := 0; lo < len(c.Fields); {
		col := c.Fields[lo].Column
		hi := lo + 1
		for hi < len(c.Fields) && c.Fields[hi].Column == col {
			hi++
		}
		w.group, w.at = c.Fields[lo:hi], 0
		w.base = w.group[0].Start
		loc.Field = c.Columns[col]
		if w.nameColumn(loc.Field) {
			var named int64
			for _, f := range w.group {
				named += b2i(detectors.NameShaped(bytes.TrimSpace(c.Data[f.Start:f.End])))
			}
			w.agg.nameValues(loc, int64(len(w.group)), named)
		}
		w.in.Reset(c.Data[w.base:w.group[hi-lo-1].End], loc.Field)
		w.in.FieldAt = w.fieldAt
		w.pending = w.pending[:0]
		for i, d := range w.cfg.Detectors {
			if w.off != nil && w.off[i] {
				continue
			}
			w.det = i
			d.Find(&w.in, w.emitF)
			if err := w.in.Failure(); err != nil {
				if w.off == nil {
					w.off = make([]bool, len(w.cfg.Detectors))
				}
				w.off[i] = true
				w.Failed(c.Loc, err)
			}
		}
		if len(w.pending) > 1 {
			slices.SortStableFunc(w.pending, func(a, b pendingMatch) int {
				return cmp.Or(cmp.Compare(a.field, b.field), cmp.Compare(a.det, b.det))
			})
		}
		for _, p := range w.pending {
			f := &w.group[p.field]
			line := f.Line
			if line > 0 {
				line += int64(bytes.Count(c.Data[f.Start:w.base+p.m.Start], []byte{'\n'}))
			}
			w.add(loc, p.m, w.base+p.m.Start, line, f.Row)
		}
		w.in.EachCandidate(func(cat detectors.Category, n int, expect float64) {
			w.agg.candidates(loc, cat).add(int64(n), expect)
		})
		lo = hi
	}
	w.group = nil
}

// fieldMatch holds a match in the current column of a block of fields.
func (w *worker) fieldMatch(m detectors.Match) {
	w.pending = append(w.pending, pendingMatch{field: w.fieldIndex(w.base + m.Start), det: w.det, m: m})
}

// fieldIndex returns the index in w.group of the field holding the chunk
// offset pos (the one before, for an offset in a field separator).
func (w *worker) fieldIndex(pos int) int {
	// The answer is the first field that ends at pos or after it: the
	// last one's, or the one after it, before a search.
	g := w.group
	for i := w.at; i < len(g) && i <= w.at+1; i++ {
		if g[i].End >= pos && (i == 0 || g[i-1].End < pos) {
			w.at = i
			return i
		}
	}
	i, _ := slices.BinarySearchFunc(w.group, pos, func(f sources.Field, pos int) int {
		if f.End < pos {
			return -1
		}
		if f.Start > pos {
			return 1
		}
		return 0
	})
	i = min(i, len(w.group)-1)
	w.at = i
	return i
}

// fieldBounds implements detectors.Input.FieldAt for the column being
// read: the bounds of the field holding pos, relative to the column's
// content.
func (w *worker) fieldBounds(pos int) (start, end int) {
	f := w.group[w.fieldIndex(w.base+pos)]
	return f.Start - w.base, f.End - w.base
}

// add counts a match at loc; pos is its offset in the current chunk's
// data (for an inline ignore comment on its line); line is its line
// number, or lineLater for add to count it when the finding keeps it.
func (w *worker) add(loc sources.Location, m detectors.Match, pos int, line, row int64) {
	c := w.chunk
	if !w.ignKnown {
		w.ignKnown = true
		if b := w.in.Buf; len(b) == len(c.Data) && len(b) > 0 && &b[0] == &c.Data[0] {
			w.ignHas = w.in.Contains(inlineMarker) // at the colons the detectors' run scan marked
		} else {
			w.ignHas = bytes.Contains(c.Data, inlineMarker)
		}
	}
	ignored := w.ignHas && inlineIgnored(c.Data, pos, m.Category, w.customCats)
	var f *acc
	if c.Fields == nil && !c.JSON {
		// Free text: loc is the chunk's one location (chunkFind).
		f = w.chunkFind(loc, m.Category, ignored)
	} else {
		f = w.agg.find(loc, m.Category, ignored)
	}
	if line == lineLater {
		line = 0
		if c.Line > 0 && len(f.lines) < MaxLines {
			line = w.lineOf(pos)
		}
	}
	example := ""
	if f.wantsExample() {
		example = m.Value
		if !w.cfg.ShowValues {
			example = detectors.Mask(m.Category, m.Value)
		}
	}
	var vfp *ValueFP
	if w.vh != nil && !f.valsOver {
		w.vfp = w.vh.fingerprint(m.Category, m.Value, m.Secret)
		vfp = &w.vfp
	}
	f.add(m, example, line, row, vfp)
	if len(c.RowKey) > 0 && len(f.keys) < MaxLines {
		if !w.keyDone {
			w.keyDone, w.keyText = true, w.rowKeyText(c.RowKey)
		}
		f.keys = addString(f.keys, w.keyText, MaxLines)
	}
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
