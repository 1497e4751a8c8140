// TrailLint: advice about rules that parse and compile but cannot mean what they say.
//
// `EventCatalogue` is the list of (eventSource, eventName) pairs CloudTrail is known to log,
// built by scripts/build-event-catalogue.py from botocore's service models and real records
// (Data/event-catalogue.tsv, with its sources and licences in Data/NOTICE.md) and compiled into
// the binary (`EventCatalogueData`), so `trailhound check` needs no file at run time.
// `EventNameLint` walks a pattern's `$.eventSource` and `$.eventName` comparisons and returns an
// `EventNameFinding` for each literal no event has, with the nearest real name. Findings are
// warnings, never errors: AWS adds APIs every week, and the catalogue is only as new as its
// last rebuild. The catalogue is read only by `check`, never on the matching path. No I/O here.
