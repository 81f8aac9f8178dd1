/*
 * The yardstick of issue #12: an optimized single-thread C implementation of the trainer's protocol
 * (PROTOCOL §2–4, §6), one λ at a time, float64, so the benchmarks measure "the C figure" on the
 * machine they run on instead of quoting another machine's. tanh is the project's branch-free
 * algorithm (functions/trainer/tanh.ts; libm's is several times slower, so an optimized
 * implementation would not call it), exp and log1p are libm's. It is built -Ofast, so the compiler
 * may fuse, reassociate (tanh's split ln2/64 becomes one constant: about 1e-17 absolute) and
 * vectorize. tanh runs four at a time with AVX2 (across the hidden units, or across patterns).
 * Mini-batches run G patterns at a time (-DG, the batch size up to 16), laid out so the dot
 * products and gradient sums vectorize over patterns; they sum the gradient in another order than
 * the project's, which is C's freedom here.
 *
 * Input (binary, little-endian; bench/c-reference.ts writes it): int32 dim, hidden, n, nval,
 * epochs, batch, l2, regularizeBiases, lambdaCount; float64 eta, lambdas[lambdaCount],
 * init[size], x[n·dim], d[n], valX[nval·dim], valD[nval]; int32 order[epochs·n].
 * Output: the seconds spent training and evaluating all λ, then per λ its mean training and
 * validation cross-entropy and its trained parameters, one number per line.
 * DIM, HID and G are compile-time constants (-DDIM=10 -DHID=15 -DG=8) so every loop has a fixed trip count.
 */
#ifdef __AVX2__
#include <immintrin.h>
#endif
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIZE (HID * DIM + 2 * HID + 1)
#ifndef G
#define G 8
#endif

static void must_read(void *p, size_t size, size_t count, FILE *f) {
  if (fread(p, size, count, f) != count) { fprintf(stderr, "c-reference: short input\n"); exit(2); }
}

/* tanh.ts's constants and its table of 2^(j/64), written out by bench/c-reference.ts. */
#include "tanh-constants.h"

/* tanh.ts's tanh: t = −2x clamped, e^t = 2^(k/64)·e^r, tanh = −(e^t − 1)/(2 + e^t − 1). */
static inline double tanh_fast(double x) {
  double t = -2 * x;
  t = t < -TANH_CLAMP ? -TANH_CLAMP : t;
  t = t > TANH_CLAMP ? TANH_CLAMP : t;
  /* rint, not tanh.ts's 2^52 shift: the compiler may reassociate the shift away. */
  const double k = __builtin_rint(t * TANH_INV_LN2X64);
  const double r = t - k * TANH_LN2BY64_HI - k * TANH_LN2BY64_LO;
  const double p = r * (1 + r * (TANH_C2 + r * (TANH_C3 + r * (TANH_C4 + r * (TANH_C5 + r * TANH_C6)))));
  const int64_t ki = (int64_t)k;
  double base = EXP2_64THS[ki & 63];
  int64_t bb;
  memcpy(&bb, &base, 8);
  bb += (ki >> 6) * ((int64_t)1 << 52);
  memcpy(&base, &bb, 8);
  const double em1 = (base - 1) + base * p;
  return -em1 / (2 + em1);
}

/* tanh of n values: four at a time with AVX2 (the same steps, the table read by a gather), the rest one by one. */
static inline void tanh_array(const double *in, double *out, int n) {
  int i = 0;
#ifdef __AVX2__
  const __m256d lo = _mm256_set1_pd(-TANH_CLAMP), hi = _mm256_set1_pd(TANH_CLAMP), magic = _mm256_set1_pd(6755399441055744.0);
  for (; i + 4 <= n; i += 4) {
    __m256d t = _mm256_mul_pd(_mm256_set1_pd(-2), _mm256_loadu_pd(in + i));
    t = _mm256_min_pd(_mm256_max_pd(t, lo), hi);
    const __m256d k = _mm256_round_pd(_mm256_mul_pd(t, _mm256_set1_pd(TANH_INV_LN2X64)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    const __m256d r = t - k * TANH_LN2BY64_HI - k * TANH_LN2BY64_LO;
    const __m256d p = r * (1 + r * (TANH_C2 + r * (TANH_C3 + r * (TANH_C4 + r * (TANH_C5 + r * TANH_C6)))));
    /* k + 1.5·2^52 holds k in its low bits: the table index, and 2^(k >> 6) added to the exponent field. */
    const __m256i bits = _mm256_castpd_si256(_mm256_add_pd(k, magic));
    __m256d base = _mm256_i64gather_pd(EXP2_64THS, _mm256_and_si256(bits, _mm256_set1_epi64x(63)), 8);
    const __m256i scale = _mm256_slli_epi64(_mm256_and_si256(bits, _mm256_set1_epi64x(~(long long)63)), 46);
    base = _mm256_castsi256_pd(_mm256_add_epi64(_mm256_castpd_si256(base), scale));
    const __m256d em1 = (base - 1) + base * p;
    _mm256_storeu_pd(out + i, -em1 / (2 + em1));
  }
#endif
  for (; i < n; i++) out[i] = tanh_fast(in[i]);
}

static double W[HID][DIM], B1[HID], V[HID], B2;
static double GW[HID][DIM], GB1[HID], GV[HID], GB2;

/* Forward pass of one pattern: hidden outputs in h, returns the logit. */
static inline double logit(const double *x, double *h) {
  double a = B2, s[HID];
  for (int j = 0; j < HID; j++) {
    s[j] = B1[j];
    for (int k = 0; k < DIM; k++) s[j] += W[j][k] * x[k];
  }
  tanh_array(s, h, HID);
  for (int j = 0; j < HID; j++) a += V[j] * h[j];
  return a;
}

/* Forward pass of up to G patterns (rows of xs, transposed to xs[k][p]); logits in a, hidden in h. */
static inline void logits(double xs[DIM][G], double h[HID][G], double a[G]) {
  for (int p = 0; p < G; p++) a[p] = B2;
  for (int j = 0; j < HID; j++) {
    double s[G];
    for (int p = 0; p < G; p++) s[p] = B1[j];
    for (int k = 0; k < DIM; k++) for (int p = 0; p < G; p++) s[p] += W[j][k] * xs[k][p];
    tanh_array(s, h[j], G);
    for (int p = 0; p < G; p++) a[p] += V[j] * h[j][p];
  }
}

/* Up to G patterns ord[0…g) transposed into xs, targets into dd; the rest zero. */
static inline void gather(const double *x, const double *d, const int32_t *ord, int g, double xs[DIM][G], double dd[G]) {
  for (int p = 0; p < G; p++) {
    const int i = p < g ? (ord ? ord[p] : p) : -1;
    for (int k = 0; k < DIM; k++) xs[k][p] = i < 0 ? 0 : x[(size_t)i * DIM + k];
    dd[p] = i < 0 ? 0 : d[i];
  }
}

/* Mean cross-entropy softplus(a) − d·a over n patterns. */
static double mean_loss(const double *x, const double *d, int n) {
  double loss = 0, xs[DIM][G], dd[G], h[HID][G], a[G];
  for (int b = 0; b < n; b += G) {
    const int g = n - b < G ? n - b : G;
    gather(x + (size_t)b * DIM, d + b, NULL, g, xs, dd);
    logits(xs, h, a);
    for (int p = 0; p < g; p++) loss += (a[p] > 0 ? a[p] + log1p(exp(-a[p])) : log1p(exp(a[p]))) - dd[p] * a[p];
  }
  return loss / n;
}

int main(int argc, char **argv) {
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
  if (!f) { fprintf(stderr, "usage: trainer <input file>\n"); return 2; }
  int32_t hdr[9];
  must_read(hdr, 4, 9, f);
  const int n = hdr[2], nval = hdr[3], epochs = hdr[4], batch = hdr[5], l2 = hdr[6], rb = hdr[7], nl = hdr[8];
  if (hdr[0] != DIM || hdr[1] != HID) { fprintf(stderr, "c-reference: built for %d-%d\n", DIM, HID); return 2; }
  double eta, init[SIZE];
  double *lambdas = malloc(sizeof(double) * nl), *x = malloc(sizeof(double) * n * DIM), *d = malloc(sizeof(double) * n);
  double *vx = malloc(sizeof(double) * nval * DIM), *vd = malloc(sizeof(double) * nval);
  int32_t *order = malloc(sizeof(int32_t) * (size_t)n * epochs);
  double *out = malloc(sizeof(double) * nl * (SIZE + 2));
  must_read(&eta, 8, 1, f);
  must_read(lambdas, 8, nl, f);
  must_read(init, 8, SIZE, f);
  must_read(x, 8, (size_t)n * DIM, f);
  must_read(d, 8, n, f);
  must_read(vx, 8, (size_t)nval * DIM, f);
  must_read(vd, 8, nval, f);
  must_read(order, 4, (size_t)n * epochs, f);
  fclose(f);

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int l = 0; l < nl; l++) {
    memcpy(W, init, sizeof W);
    memcpy(B1, init + HID * DIM, sizeof B1);
    memcpy(V, init + HID * DIM + HID, sizeof V);
    B2 = init[SIZE - 1];
    /* L2: w ← w·c − step; L1: w ← w − ηλ·sign(w) − step. Biases the same when rb, else w − step. */
    const double c = 1.0 - eta * lambdas[l], el = eta * lambdas[l];
#define DECAY(w) (l2 ? (w) * c : (w) - el * (double)(((w) > 0) - ((w) < 0)))
#define DECAY_BIAS(w) (rb ? DECAY(w) : (w))
    double h[HID];
    for (int e = 0; e < epochs; e++) {
      const int32_t *ord = order + (size_t)e * n;
      if (batch == 1) {
        for (int b = 0; b < n; b++) {
          const double *xi = x + (size_t)ord[b] * DIM;
          const double ed = eta * (1.0 / (1.0 + exp(-logit(xi, h))) - d[ord[b]]);
          B2 = DECAY_BIAS(B2) - ed;
          for (int j = 0; j < HID; j++) {
            const double edh = ed * V[j] * (1 - h[j] * h[j]);
            V[j] = DECAY(V[j]) - ed * h[j];
            B1[j] = DECAY_BIAS(B1[j]) - edh;
            for (int k = 0; k < DIM; k++) W[j][k] = DECAY(W[j][k]) - edh * xi[k];
          }
        }
        continue;
      }
      for (int start = 0; start < n; start += batch) {
        const int end = start + batch < n ? start + batch : n;
        for (int b = start; b < end; b += G) {
          const int g = end - b < G ? end - b : G;
          double xs[DIM][G], dd[G], hh[HID][G], a[G], delta[G];
          gather(x, d, ord + b, g, xs, dd);
          logits(xs, hh, a);
          for (int p = 0; p < G; p++) delta[p] = p < g ? 1.0 / (1.0 + exp(-a[p])) - dd[p] : 0;
          for (int p = 0; p < G; p++) GB2 += delta[p];
          for (int j = 0; j < HID; j++) {
            double dh[G], gv = 0, gb = 0;
            for (int p = 0; p < G; p++) {
              dh[p] = delta[p] * V[j] * (1 - hh[j][p] * hh[j][p]);
              gv += delta[p] * hh[j][p];
              gb += dh[p];
            }
            GV[j] += gv;
            GB1[j] += gb;
            for (int k = 0; k < DIM; k++) {
              double gw = 0;
              for (int p = 0; p < G; p++) gw += dh[p] * xs[k][p];
              GW[j][k] += gw;
            }
          }
        }
        const double scale = eta / (end - start);
        for (int j = 0; j < HID; j++) {
          for (int k = 0; k < DIM; k++) { W[j][k] = DECAY(W[j][k]) - scale * GW[j][k]; GW[j][k] = 0; }
          B1[j] = DECAY_BIAS(B1[j]) - scale * GB1[j]; GB1[j] = 0;
          V[j] = DECAY(V[j]) - scale * GV[j]; GV[j] = 0;
        }
        B2 = DECAY_BIAS(B2) - scale * GB2; GB2 = 0;
      }
    }
    double *o = out + (size_t)l * (SIZE + 2);
    o[0] = mean_loss(x, d, n);
    o[1] = mean_loss(vx, vd, nval);
    memcpy(o + 2, W, sizeof W);
    memcpy(o + 2 + HID * DIM, B1, sizeof B1);
    memcpy(o + 2 + HID * DIM + HID, V, sizeof V);
    o[2 + SIZE - 1] = B2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  printf("%.9f\n", (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec));
  for (size_t q = 0; q < (size_t)nl * (SIZE + 2); q++) printf("%.17g\n", out[q]);
  return 0;
}
