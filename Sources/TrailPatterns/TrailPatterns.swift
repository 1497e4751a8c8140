// TrailPatterns: the CloudWatch Logs filter-pattern language, as trailhound implements it.
//
// `FilterPattern.parse` turns pattern text into an AST (JSON patterns, term patterns, standalone
// regexes, or the empty pattern) or a `PatternDiagnostic` with a column range and a fix hint.
// `PatternMatcher` compiles one or more patterns into a shared `JSONProjection` plus a flat
// program per pattern, and evaluates records against projected fields. Semantics follow
// shared/docs/filter-patterns.md sections 3–6; the choices the sources leave open (its 4.10) live
// in `PatternSemantics` so they can be changed in one place. No I/O happens here.
