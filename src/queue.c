#include "queue.h"
#include "engine.h"

#include <stdlib.h>
#include <string.h>

bool ls_spsc_init(ls_spsc *q, uint32_t capacity, size_t slot_size)
{
    uint32_t cap = 1;
    while (cap < capacity)
        cap <<= 1;
    q->slots = calloc(cap, slot_size);
    if (!q->slots)
        return false;
    q->slot_size = slot_size;
    q->capacity = cap;
    atomic_init(&q->head, 0);
    atomic_init(&q->tail, 0);
    return true;
}

void ls_spsc_destroy(ls_spsc *q)
{
    free(q->slots);
    q->slots = NULL;
}

bool ls_spsc_push(ls_spsc *q, const void *item)
{
    uint_fast32_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);
    uint_fast32_t head = atomic_load_explicit(&q->head, memory_order_acquire);
    if ((uint32_t)(tail - head) >= q->capacity)
        return false;
    memcpy(q->slots + (size_t)(tail & (q->capacity - 1)) * q->slot_size, item, q->slot_size);
    atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
    return true;
}

bool ls_spsc_pop(ls_spsc *q, void *item)
{
    uint_fast32_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
    uint_fast32_t tail = atomic_load_explicit(&q->tail, memory_order_acquire);
    if (head == tail)
        return false;
    memcpy(item, q->slots + (size_t)(head & (q->capacity - 1)) * q->slot_size, q->slot_size);
    atomic_store_explicit(&q->head, head + 1, memory_order_release);
    return true;
}

void ls_return_push(ls_return_stack *s, ls_returnable *item)
{
    ls_returnable *top = atomic_load_explicit(&s->top, memory_order_relaxed);
    do {
        item->next = top;
    } while (!atomic_compare_exchange_weak_explicit(&s->top, &top, item, memory_order_release,
                                                    memory_order_relaxed));
}

ls_returnable *ls_return_take_all(ls_return_stack *s)
{
    ls_returnable *list = atomic_exchange_explicit(&s->top, NULL, memory_order_acquire);
    /* the stack is newest first: reverse it */
    ls_returnable *out = NULL;
    while (list) {
        ls_returnable *next = list->next;
        list->next = out;
        out = list;
        list = next;
    }
    return out;
}
