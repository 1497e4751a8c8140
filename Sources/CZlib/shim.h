#ifndef TRAILHOUND_CZLIB_SHIM_H
#define TRAILHOUND_CZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro in zlib.h, which Swift cannot call; this wrapper passes the version
/// and struct size the macro would.
static inline int trailhound_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}

/// deflateInit2 likewise, for tests and fixtures that write gzip.
static inline int trailhound_deflateInit2(z_streamp stream, int level, int windowBits) {
    return deflateInit2(stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}

#endif
