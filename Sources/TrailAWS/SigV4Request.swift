/// What Signature Version 4 signs of an HTTP request: the method, the path and query as the
/// service will read them (decoded: the signer encodes them, once, as AWS does), the headers, and
/// the SHA-256 of the body (hex), or `UNSIGNED-PAYLOAD` where S3 allows it.
package struct SigV4Request: Sendable, Hashable {
    package var method: String
    /// The decoded path (an S3 object key may hold spaces, `+`, any UTF-8).
    package var path: String
    /// Decoded query parameters, in any order; a parameter without `=` has an empty value.
    package var query: [Parameter]
    /// Header lines in the order they are sent; names in any case.
    package var headers: [Header]
    package var payloadHash: String

    package struct Parameter: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    package struct Header: Sendable, Hashable {
        package var name: String
        package var value: String

        package init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// SHA-256 of an empty body, the payload hash of every GET.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// The payload hash S3 accepts for a body it is not asked to check.
    package static let unsignedPayload = "UNSIGNED-PAYLOAD"

    package init(
        method: String, path: String, query: [Parameter] = [], headers: [Header] = [],
        payloadHash: String = emptyPayloadHash
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payloadHash = payloadHash
    }
}
