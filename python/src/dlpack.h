/*
 * The DLPack exchange structures (ABI version 1.0), as the DLPack
 * specification defines them (https://dmlc.github.io/dlpack/latest/c_api.html).
 * Only what AudioBuffer.__dlpack__ and AudioBuffer.from_dlpack need.
 */
#ifndef LABSOUND_PY_DLPACK_H
#define LABSOUND_PY_DLPACK_H

#include <stdint.h>

#define LSPY_DLPACK_MAJOR 1u
#define LSPY_DLPACK_MINOR 0u

enum { LSPY_DL_CPU = 1, LSPY_DL_CUDA = 2, LSPY_DL_CUDA_HOST = 3 };   /* DLDeviceType */
enum { LSPY_DL_INT = 0, LSPY_DL_UINT = 1, LSPY_DL_FLOAT = 2, LSPY_DL_BFLOAT = 4 }; /* type codes */

#define LSPY_DL_FLAG_READ_ONLY (UINT64_C(1) << 0)
#define LSPY_DL_FLAG_IS_COPIED (UINT64_C(1) << 1)

typedef struct {
    int32_t device_type;
    int32_t device_id;
} lspy_DLDevice;

typedef struct {
    uint8_t code;
    uint8_t bits;
    uint16_t lanes;
} lspy_DLDataType;

typedef struct {
    void *data;
    lspy_DLDevice device;
    int32_t ndim;
    lspy_DLDataType dtype;
    int64_t *shape;
    int64_t *strides;           /* in elements; NULL: C-contiguous */
    uint64_t byte_offset;
} lspy_DLTensor;

typedef struct lspy_DLManagedTensor {
    lspy_DLTensor dl_tensor;
    void *manager_ctx;
    void (*deleter)(struct lspy_DLManagedTensor *self);
} lspy_DLManagedTensor;

typedef struct {
    uint32_t major;
    uint32_t minor;
} lspy_DLPackVersion;

typedef struct lspy_DLManagedTensorVersioned {
    lspy_DLPackVersion version;
    void *manager_ctx;
    void (*deleter)(struct lspy_DLManagedTensorVersioned *self);
    uint64_t flags;
    lspy_DLTensor dl_tensor;
} lspy_DLManagedTensorVersioned;

#endif
