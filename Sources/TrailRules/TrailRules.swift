// TrailRules: rules as users write them, and the compiled rule set that runs them.
//
// A rule file (YAML, one rule per file) is read in two stages: `RuleFileReader` walks the YAML
// tree with positions, rejecting unknown keys by their path, into a `Rule` whose pattern,
// suppressions, alarm and embedded tests are validated; problems are `RuleDiagnostic`s with
// file:line:column. `RuleSet` compiles every enabled rule and suppression into one
// `PatternMatcher` (one projection, one prefilter index), so a record no rule can match costs a
// hash lookup. `Alert` is what a match becomes; `RuleTestRunner` runs the tests rules carry.
