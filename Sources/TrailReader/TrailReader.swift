// TrailReader: turns CloudTrail files into a stream of record byte ranges for the engine.
//
// It owns everything between a path and a record: opening files safely (`InputFile`), streaming
// gzip inflate with caps against hostile input (`DecodedStream`), finding records in every shape
// CloudTrail data arrives in without holding the whole file (`TrailFileReader`), unwrapping
// EventBridge envelopes and CloudWatch Logs payloads, recognising digest files
// (`RecordClassifier`), and naming exactly what is wrong with a bad file (`ReaderError`).
// Memory is flat in file size: one window holds the current chunk and the record being read.
