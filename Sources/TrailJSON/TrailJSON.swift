// TrailJSON: the byte-level JSON layer of trailhound.
//
// It owns everything that touches raw JSON bytes: a validating RFC 8259 scanner, the projection
// automaton that pulls just the paths a rule set reads out of a record in one pass, the splitter
// that finds records in `{"Records":[…]}`, arrays and NDJSON, and a small `JSONValue` tree for
// tests and tools. It does no I/O and allocates nothing per record on the hot path: callers own
// the buffers, and problems come back as `JSONError` values with a byte offset.
