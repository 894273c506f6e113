/* The `rng` object scripts receive: the attempt's seeded generator
 * (include/kaoshi/rng.h) with methods int, uniform, normal, sample and
 * permutation. Scripts cannot make one; the engine hands it to hooks, so every
 * draw is reproducible from the seed stored with the attempt. Binding layer. */
#ifndef KAOSHI_LRNG_H
#define KAOSHI_LRNG_H

#include <lua.h>
#include <stdint.h>

/* Pushes a new rng object seeded with seed. */
void ks_lrng_push(lua_State *L, uint64_t seed);

#endif
