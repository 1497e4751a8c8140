import Foundation

/// The sanitizer this test bundle was built with, if any. The daemon binary the tests launch
/// comes from the same build, so it is instrumented the same way. `--sanitize` links the runtime
/// into both and exports its entry point. Looking that symbol up works however the suite was
/// started: `scripts/sanitize.sh` or a plain `swift test --sanitize=…`.
package enum Sanitizer: String {
    case address
    case thread

    package static let active: Sanitizer? = {
        guard let handle = dlopen(nil, RTLD_NOW) else { return nil }
        defer { dlclose(handle) }
        if dlsym(handle, "__asan_init") != nil { return .address }
        if dlsym(handle, "__tsan_init") != nil { return .thread }
        return nil
    }()
}
