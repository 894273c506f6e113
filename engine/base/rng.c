/* Seedable, platform-independent random numbers: see include/kaoshi/rng.h for
 * the exact recipe. Depends on libm (log, sqrt) only. Uses no compiler
 * extensions such as __int128, so every platform computes the same bits. */
#include "kaoshi/rng.h"

#include <math.h>

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15u

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* The splitmix64 output for state x (sm in rng.h). */
static uint64_t splitmix(uint64_t x)
{
    uint64_t z = x + GOLDEN_GAMMA;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void ks_rng_seed(ks_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        r->s[i] = splitmix(seed);
        seed += GOLDEN_GAMMA;
    }
}

uint64_t ks_rng_next(ks_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* The full 128-bit product a * b as high and low 64-bit halves. */
static void mul128(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t ll = a_lo * b_lo, lh = a_lo * b_hi, hl = a_hi * b_lo, hh = a_hi * b_hi;
    uint64_t mid = (ll >> 32) + (lh & 0xffffffffu) + (hl & 0xffffffffu);
    *lo = (mid << 32) | (ll & 0xffffffffu);
    *hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

uint64_t ks_rng_below(ks_rng *r, uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t hi, lo;
    mul128(ks_rng_next(r), n, &hi, &lo);
    if (lo < n) {
        uint64_t threshold = (0 - n) % n; /* 2^64 mod n */
        while (lo < threshold)
            mul128(ks_rng_next(r), n, &hi, &lo);
    }
    return hi;
}

int64_t ks_rng_range(ks_rng *r, int64_t lo, int64_t hi)
{
    if (hi < lo)
        return lo;
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1; /* 0: all 2^64 values */
    uint64_t u = span ? (uint64_t)lo + ks_rng_below(r, span) : ks_rng_next(r);
    /* Two's-complement reinterpretation without implementation-defined casts. */
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(UINT64_MAX - u) - 1;
}

double ks_rng_uniform(ks_rng *r) { return (double)(ks_rng_next(r) >> 11) * 0x1.0p-53; }

double ks_rng_normal(ks_rng *r, double mean, double sd)
{
    double u, v, s;
    do {
        u = 2.0 * ks_rng_uniform(r) - 1.0;
        v = 2.0 * ks_rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return mean + sd * (u * sqrt(-2.0 * log(s) / s));
}

uint64_t ks_rng_derive(uint64_t seed, const char *label)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const unsigned char *p = (const unsigned char *)label; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    return splitmix(splitmix(seed) ^ h);
}
