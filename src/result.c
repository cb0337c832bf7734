#include "labsound/labsound.h"

const char *ls_result_string(ls_result r)
{
    switch (r) {
    case LS_OK: return "ok";
    case LS_ERROR_INDEX_SIZE: return "index out of range (IndexSizeError)";
    case LS_ERROR_INVALID_ACCESS: return "invalid access (InvalidAccessError)";
    case LS_ERROR_INVALID_STATE: return "invalid state (InvalidStateError)";
    case LS_ERROR_NOT_SUPPORTED: return "not supported (NotSupportedError)";
    case LS_ERROR_RANGE: return "value out of range (RangeError)";
    case LS_ERROR_NO_MEM: return "out of memory";
    case LS_ERROR_BACKEND: return "audio backend error";
    case LS_ERROR_FORMAT: return "malformed or unsupported data";
    case LS_ERROR_IO: return "input/output error";
    case LS_ERROR_INVALID_ARGUMENT: return "invalid argument";
    }
    return "unknown error";
}

#define LS_STR_(x) #x
#define LS_STR(x) LS_STR_(x)

const char *ls_version(void)
{
    return LS_STR(LS_VERSION_MAJOR) "." LS_STR(LS_VERSION_MINOR) "." LS_STR(LS_VERSION_PATCH);
}
