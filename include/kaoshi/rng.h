/* The engine's random numbers: a seedable generator whose draws are the same
 * on every platform, so a form or a calculated question can be replayed from
 * its stored seed for an audit or an appeal. Plain C, depends on libm only.
 *
 * The recipe, exactly (so it can be reimplemented elsewhere):
 *   generator   xoshiro256** 1.0 (Blackman & Vigna, prng.di.unimi.it), state
 *               s[0..3] as in the reference xoshiro256starstar.c.
 *   sm(x)       the splitmix64 output for state x:
 *                 z = x + 0x9e3779b97f4a7c15
 *                 z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
 *                 z = (z ^ (z >> 27)) * 0x94d049bb133111eb
 *                 sm(x) = z ^ (z >> 31)          (all arithmetic mod 2^64)
 *   seeding     s[i] = sm(seed + i * 0x9e3779b97f4a7c15) for i = 0..3, i.e.
 *               the first four outputs of splitmix64 started at seed (never
 *               the all-zero state).
 * Every function below documents how many outputs of ks_rng_next it consumes,
 * because that is part of the replay contract too. */
#ifndef KAOSHI_RNG_H
#define KAOSHI_RNG_H

#include <stdint.h>

/* Public so it can live on the stack or inside another struct; treat the
 * words as opaque apart from saving and restoring them. */
typedef struct ks_rng {
    uint64_t s[4];
} ks_rng;

/* Seeds r from a 64-bit seed as described above. */
void ks_rng_seed(ks_rng *r, uint64_t seed);

/* The next 64-bit output of xoshiro256**. */
uint64_t ks_rng_next(ks_rng *r);

/* A uniform integer in [0, n), without bias: Lemire's multiply-shift
 * (high 64 bits of next * n), rejecting while the low 64 bits are below
 * 2^64 mod n. Consumes one output, more only on rejection (rare unless n is
 * close to 2^64). n must be > 0; for n == 0 it returns 0 and consumes nothing. */
uint64_t ks_rng_below(ks_rng *r, uint64_t n);

/* A uniform integer in [lo, hi], both inclusive: lo + ks_rng_below(hi-lo+1),
 * or (as int64) one raw output for the full range INT64_MIN..INT64_MAX.
 * lo == hi returns lo and still consumes one output. Requires lo <= hi; for
 * lo > hi it returns lo and consumes nothing. */
int64_t ks_rng_range(ks_rng *r, int64_t lo, int64_t hi);

/* A uniform double in [0, 1): (next >> 11) * 2^-53. One output. */
double ks_rng_uniform(ks_rng *r);

/* A normal deviate: Marsaglia's polar method. Repeats
 *   u = 2*uniform - 1, v = 2*uniform - 1, s = u*u + v*v
 * until 0 < s < 1, then returns mean + sd * (u * sqrt(-2*log(s) / s)).
 * Two outputs per attempt; the second deviate (from v) is discarded so the
 * state stays the four words. The result is identical across platforms as
 * long as libm's log is correctly rounded (glibc's is for practical purposes;
 * sqrt always is) and the compiler does not contract a*b+c into fused
 * multiply-adds (GCC's default under -std=c11). */
double ks_rng_normal(ks_rng *r, double mean, double sd);

/* A stable sub-seed for a named purpose ("form", "item:wfmp-3-erlang-01"),
 * so independent streams come from one stored seed:
 *   h = FNV-1a 64 of the label's bytes (offset basis 0xcbf29ce484222325,
 *       prime 0x100000001b3; for each byte: h = (h ^ byte) * prime)
 *   ks_rng_derive(seed, label) = sm(sm(seed) ^ h)
 * label is a NUL-terminated string; its bytes are hashed as they are. */
uint64_t ks_rng_derive(uint64_t seed, const char *label);

#endif
