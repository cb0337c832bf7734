/*
 * Lock-free queues between the control side and the render thread.
 *
 * ls_spsc: a bounded single-producer single-consumer ring of fixed-size
 * slots. The producer side is serialized by the context lock; the consumer is
 * the render thread. Neither side blocks or allocates once it exists.
 *
 * ls_return_stack: an intrusive multi-producer stack the render thread pushes
 * onto (lock-free, cannot fail, no allocation: every item carries its own
 * link) and the control side empties in one atomic exchange.
 */
#ifndef LS_QUEUE_H
#define LS_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ls_spsc {
    unsigned char *slots;
    size_t slot_size;
    uint32_t capacity;              /* power of two */
    _Alignas(64) atomic_uint_fast32_t head;   /* next slot to read (consumer) */
    _Alignas(64) atomic_uint_fast32_t tail;   /* next slot to write (producer) */
} ls_spsc;

/* control: capacity is rounded up to a power of two. Returns false on OOM. */
bool ls_spsc_init(ls_spsc *q, uint32_t capacity, size_t slot_size);
void ls_spsc_destroy(ls_spsc *q);
/* producer: copy one item in; false when full. */
bool ls_spsc_push(ls_spsc *q, const void *item);
/* consumer: copy one item out; false when empty. */
bool ls_spsc_pop(ls_spsc *q, void *item);

struct ls_returnable;
typedef struct ls_return_stack {
    _Atomic(struct ls_returnable *) top;
} ls_return_stack;

/* any thread: push one item (its `next` field is overwritten). */
void ls_return_push(ls_return_stack *s, struct ls_returnable *item);
/* consumer: take every item, oldest first. */
struct ls_returnable *ls_return_take_all(ls_return_stack *s);

#endif
