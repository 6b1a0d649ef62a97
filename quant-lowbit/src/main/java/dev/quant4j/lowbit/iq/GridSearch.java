package dev.quant4j.lowbit.iq;

import dev.quant4j.kernels.CodebookArgmin;

/**
 * Snapping a group of values to a codebook entry (spec §8.1): levels by the nearest odd integer, and for a
 * level code off the grid the best entry of its neighbour list. One instance per quantize call (it owns a
 * small scratch table); the codebook itself is shared and immutable.
 *
 * <p>The neighbour search dominates IQ quantization time. It stays bit-exact while doing less work:
 * <ul>
 *   <li>ggml evaluates {@code d2 = Σ_i w_i·(scale·q_i − x_i)²} for every candidate, term by term in
 *       coordinate order. Every term depends only on (coordinate, level), so the few possible terms of the
 *       group are tabulated first (each with ggml's exact operations) and each candidate adds table entries
 *       in the same order.</li>
 *   <li>8-coordinate lists are grouped by the low half of the codes: the low-half partial sum is formed
 *       once per group, and a group whose lower bound (that sum plus, for each remaining coordinate, the
 *       smallest term over the levels the group's entries use there; float addition is monotone) exceeds
 *       the best total so far is skipped.</li>
 *   <li>When all weights are +0 or positive and finite, totals are non-negative and their IEEE bit
 *       patterns order like their values, so "smallest total, first in list order" (ggml's sequential
 *       strict {@code <}) is a branch-free running minimum of {@code (bits << 32 | position)}. Otherwise the
 *       float comparisons are made literally.</li>
 *   <li>A scale pass first computes the levels and map lookups of all groups, then searches only the
 *       off-grid ones.</li>
 *   <li>IQ3 ({@link #setGroups}, {@link #snapGroups}): the terms of a whole 32-value sub-block are formed in
 *       one element-wise loop the JIT vectorises, and groups well inside their rounding cells search the
 *       shorter lists of {@link DominanceLists}.</li>
 *   <li>With 16 native vector lanes the 4-coordinate list walk runs one candidate per lane
 *       ({@link CodebookArgmin#argmin4}: same sums, same first minimum); {@code -Dquant4j.vector=false}
 *       keeps the scalar walk.</li>
 *   <li>{@link #snapPasses} / {@link #snapGroupPasses} snap all scale passes of a sub-block at once: the
 *       passes that put a group on the same off-grid code search its list side by side, one pass per lane
 *       (same terms, same sums in the same order, same first minimum per lane).</li>
 * </ul>
 * GridSearchTest checks all of this against a literal implementation on tie-heavy random input.
 */
final class GridSearch {

    private final Codebook cb;
    private final int kmax;
    private final float[] odd;
    private final float[] terms;
    private final float[] rangeMin = new float[64];
    private final int[] pendingCodes = new int[8];
    private final float[] scaled = new float[8];
    /** Scales beyond this could overflow a term to ±∞ and, with a zero weight, to NaN: exact fallback then. */
    private static final float HUGE = 1e30f;
    private static final int MAX_BITS = Float.floatToRawIntBits(Float.MAX_VALUE);
    /**
     * Sub-block state of {@link #setGroups} (4-coordinate codebooks): the values, and per term slot
     * {@code 32·group + 8·coordinate + level} its value, weight and odd level, so that a pass forms all terms
     * in one element-wise loop.
     */
    private float[] groupX;
    private float[] groupW;
    /** Marks a {@link #snapGroupPasses} key as a start in the short lists. */
    private static final int SHORT = 1 << 30;
    private int[] passFound;
    private float[] passTerms;
    private int groupN;
    private boolean groupsPlain;
    private float[] slotX;
    private float[] slotW;
    private float[] slotQ;
    private float[] slotTerms;
    private final boolean[] inside = new boolean[32];
    /** {@link #snapPasses} scratch: per pass its code still to search, per lane its pass, scale and answer. */
    private int[] passCodes;
    private final int[] laneOf = new int[CodebookArgmin.LANES];
    private final float[] laneScales = new float[CodebookArgmin.LANES];
    private final int[] laneCodes = new int[CodebookArgmin.LANES];
    private final float[] laneTerms = new float[96 * CodebookArgmin.LANES];

    GridSearch(Codebook cb) {
        this.cb = cb;
        this.kmax = cb.bits == 3 ? 8 : 3;
        this.odd = new float[1 << cb.bits];
        for (int l = 0; l < odd.length; l++) {
            odd[l] = 2 * l + 1;
        }
        this.terms = new float[cb.dims << cb.bits];
    }

    /**
     * Chooses the entry for the group {@code xval[off .. off+dims)} at inverse scale {@code id}: each value's
     * level by {@link IqMath#level}; when that code is off the grid, the neighbour minimising
     * {@code Σ w·(scale·p − xval)²} with {@code p = 2l+1}. Writes the entry's levels to {@code levels[off ..]}.
     */
    void snap(float id, float scale, float[] xval, float[] w, int off, byte[] levels) {
        int bits = cb.bits;
        int u = 0;
        for (int i = 0; i < cb.dims; i++) {
            int l = IqMath.level(id, xval[off + i], kmax);
            levels[off + i] = (byte) l;
            u |= l << (bits * i);
        }
        if (cb.map[u] < 0) {
            writeLevels(best(u, scaled(scale, odd, kmax), xval, off, w, off, scale), levels, off);
        }
    }

    /**
     * {@link #snap} for every group of {@code xval[0 .. n)} at once (one scale pass); {@code onGrid[k]} tells
     * whether group k's own code was a grid entry. Levels, codes and map lookups of all groups come first,
     * so their memory accesses overlap; then only the off-grid groups are searched.
     */
    void snapAll(float id, float scale, float[] xval, float[] w, int n, byte[] levels, boolean[] onGrid) {
        snapAll(id, scale, xval, w, n, levels, 0, onGrid, 0);
    }

    /** {@link #snapAll} with the levels written from {@code levels[lo]} and the flags from {@code onGrid[fo]}. */
    private void snapAll(float id, float scale, float[] xval, float[] w, int n, byte[] levels, int lo,
                         boolean[] onGrid, int fo) {
        levelsOf(id, xval, n, levels, lo);
        int dims = cb.dims;
        int bits = cb.bits;
        int[] map = cb.map;
        int[] off = pendingCodes;
        int pending = 0;
        for (int k = 0, o = 0; o < n; k++, o += dims) {
            int u = 0;
            for (int i = 0; i < dims; i++) {
                u |= levels[lo + o + i] << (bits * i);
            }
            boolean on = map[u] >= 0;
            onGrid[fo + k] = on;
            off[pending] = u | o << 16;
            pending += on ? 0 : 1;
        }
        float[] sq = pending > 0 ? scaled(scale, odd, kmax) : null;
        for (int j = 0; j < pending; j++) {
            int u = off[j] & 0xFFFF;
            int o = off[j] >>> 16;
            writeLevels(best(u, sq, xval, o, w, o, scale), levels, lo + o);
        }
    }

    /** Each value's level at inverse scale {@code id}: {@code clamp(nearest_int(0.5·(id·x − 1)), 0, kmax−1)}. */
    private void levelsOf(float id, float[] xval, int n, byte[] levels, int lo) {
        int top = kmax - 1;
        for (int i = 0; i < n; i++) {
            levels[lo + i] = (byte) Math.min(Math.max(IqMath.nearestInt(0.5f * (id * xval[i] - 1)), 0), top);
        }
    }

    /**
     * 8-coordinate codebooks: {@link #snapAll} for {@code passes} scale passes at once, pass p at
     * {@code ids[p]}, {@code scales[p]}, its levels into {@code levels[p·n ..]} and its flags into
     * {@code onGrid[p·n/8 ..]}; the same result as one {@link #snapAll} per pass. The passes that put a group
     * on the same off-grid code search the same neighbour list, each at its own scale: with the vector
     * kernels on they run side by side, one pass per lane ({@link CodebookArgmin#argmin8Lanes}, same terms,
     * same sums, same first minimum as {@link #best}).
     */
    void snapPasses(float[] ids, float[] scales, int passes, float[] xval, float[] w, int n, byte[] levels,
                    boolean[] onGrid) {
        int groups = n / 8;
        if (cb.dims != 8 || !CodebookArgmin.vectorized()) {
            for (int p = 0; p < passes; p++) {
                snapAll(ids[p], scales[p], xval, w, n, levels, p * n, onGrid, p * groups);
            }
            return;
        }
        int stride = (passes + CodebookArgmin.LANES - 1) / CodebookArgmin.LANES * CodebookArgmin.LANES;
        int[] codes = new int[groups * stride];
        snapPassCodes(ids, scales, passes, xval, w, n, codes, stride, onGrid);
        for (int p = 0; p < passes; p++) {
            passLevels(codes, stride, p, n, levels, p * n);
        }
    }

    /** The levels of pass p from {@link #snapPassCodes}' codes into {@code levels[at .. at+n)}. */
    static void passLevels(int[] codes, int stride, int p, int n, byte[] levels, int at) {
        for (int k = 0; k < n / 8; k++) {
            writeCode8(codes[k * stride + p], levels, at + 8 * k);
        }
    }

    /**
     * {@link #snapPasses} with each group's result as its level code (vector kernels on, 8-coordinate
     * codebooks): pass p's group k at {@code codes[k·stride + p]}, {@code stride} a multiple of
     * {@link CodebookArgmin#LANES} and at least {@code passes}; flags as in {@link #snapPasses}.
     */
    void snapPassCodes(float[] ids, float[] scales, int passes, float[] xval, float[] w, int n, int[] out,
                       int stride, boolean[] onGrid) {
        int groups = n / 8;
        int[] map = cb.map;
        int[] codes = passCodes(stride);
        int[] lane = laneOf;
        for (int k = 0; k < groups; k++) {
            int o = 8 * k;
            int ko = k * stride;
            boolean plainW = true;
            for (int i = 0; i < 8; i++) {
                plainW &= Integer.compareUnsigned(Float.floatToRawIntBits(w[o + i]), 0x7F800000) < 0;
            }
            CodebookArgmin.levelCodes8(ids, passes, xval, o, codes);
            for (int p = 0; p < passes; p++) {
                int u = codes[p];
                out[ko + p] = u;
                boolean on = map[u] >= 0;
                onGrid[p * groups + k] = on;
                // -1: nothing to search (on the grid, or done)
                codes[p] = on ? -1 : u;
            }
            if (passes <= CodebookArgmin.LANES && plainW) {
                searchPassesInPlace(scales, passes, xval, w, o, codes, out, ko);
                continue;
            }
            for (int p = 0; p < passes; p++) {
                int u = codes[p];
                if (u < 0) {
                    continue;
                }
                int lanes = 0;
                if (plainW && Math.abs(scales[p]) < HUGE) {
                    // pass p is lane 0; later passes on the same code join it
                    for (int q = p; q < passes && lanes < CodebookArgmin.LANES; q++) {
                        if (codes[q] == u && Math.abs(scales[q]) < HUGE) {
                            lane[lanes] = q;
                            laneScales[lanes++] = scales[q];
                        }
                    }
                }
                if (lanes == 0) {
                    codes[p] = -1;
                    out[ko + p] = cb.codes[best(u, scaled(scales[p], odd, kmax), xval, o, w, o, scales[p])];
                    continue;
                }
                CodebookArgmin.argmin8Lanes(laneScales, lanes, odd, xval, o, w, o, cb.lists, -map[u] - 1, laneTerms,
                        laneCodes);
                for (int j = 0; j < lanes; j++) {
                    int code = laneCodes[j];
                    if (code < 0) {
                        throw tooLarge();
                    }
                    codes[lane[j]] = -1;
                    out[ko + lane[j]] = code;
                }
            }
        }
    }

    /**
     * {@link #snapPassCodes}' searches of one group (values at {@code xval[o ..]}, plain weights) when every
     * pass has its own lane: the terms of all passes are formed once, then each distinct off-grid code's
     * list is walked once for the passes on it (an active-lane mask). Passes with huge scales search alone.
     */
    private void searchPassesInPlace(float[] scales, int passes, float[] xval, float[] w, int o, int[] codes,
                                     int[] out, int ko) {
        int[] map = cb.map;
        boolean termsReady = false;
        for (int p = 0; p < passes; p++) {
            int u = codes[p];
            if (u < 0) {
                continue;
            }
            if (!(Math.abs(scales[p]) < HUGE)) {
                codes[p] = -1;
                out[ko + p] = cb.codes[best(u, scaled(scales[p], odd, kmax), xval, o, w, o, scales[p])];
                continue;
            }
            int active = 0;
            for (int q = p; q < passes; q++) {
                if (codes[q] == u && Math.abs(scales[q]) < HUGE) {
                    active |= 1 << q;
                    codes[q] = -1;
                }
            }
            if (!termsReady) {
                CodebookArgmin.terms8Lanes(scales, odd, xval, o, w, o, laneTerms);
                termsReady = true;
            }
            CodebookArgmin.argmin8Masked(laneTerms, active, cb.lists, -map[u] - 1, laneCodes);
            for (int rest = active; rest != 0; rest &= rest - 1) {
                int q = Integer.numberOfTrailingZeros(rest);
                if (laneCodes[q] < 0) {
                    throw tooLarge();
                }
                out[ko + q] = laneCodes[q];
            }
        }
    }

    private int[] passCodes(int passes) {
        if (passCodes == null || passCodes.length < passes) {
            passCodes = new int[passes];
        }
        return passCodes;
    }

    /**
     * IQ3 family (4 coordinates of 3 bits): fixes the sub-block {@code xval[0 .. n)} and its weights for the
     * following {@link #snapGroups} calls (the scale search snaps the same values at many scales). The values
     * are read again by every pass: {@code xval} must not change in between.
     */
    void setGroups(float[] xval, float[] w, int n) {
        if (cb.dims != 4 || n % 4 != 0) {
            throw new IllegalArgumentException("setGroups takes whole groups of a 4-coordinate codebook");
        }
        if (slotX == null || slotX.length < 8 * n) {
            slotX = new float[8 * n];
            slotW = new float[8 * n];
            slotQ = new float[8 * n];
            slotTerms = new float[8 * n];
            for (int j = 0; j < 8 * n; j++) {
                slotQ[j] = odd[j & 7];
            }
        }
        boolean plain = true;
        for (int i = 0; i < n; i++) {
            plain &= Integer.compareUnsigned(Float.floatToRawIntBits(w[i]), 0x7F800000) < 0;
        }
        for (int j = 0; j < 8 * n; j++) {
            slotX[j] = xval[j >>> 3];
            slotW[j] = w[j >>> 3];
        }
        groupX = xval;
        groupW = w;
        groupN = n;
        groupsPlain = plain;
    }

    /**
     * {@link #snapAll} of the sub-block fixed by {@link #setGroups}, same result. The terms
     * {@code (w·d)·d, d = scale·q[l] − x} of every value and level are formed in one element-wise loop that
     * the JIT vectorises (the same three operations per term, in the same order as {@link #best}), then the
     * off-grid groups search their lists in their own 32-term slice.
     */
    void snapGroups(float id, float scale, byte[] levels, boolean[] onGrid) {
        snapGroups(id, scale, levels, 0, onGrid, 0);
    }

    /** {@link #snapGroups} with the levels written from {@code levels[lo]} and the flags from {@code onGrid[fo]}. */
    private void snapGroups(float id, float scale, byte[] levels, int lo, boolean[] onGrid, int fo) {
        float[] xval = groupX;
        int n = groupN;
        boolean[] in = inside;
        levelsInside(id, xval, n, levels, lo, in, 0);
        int[] map = cb.map;
        int[] off = pendingCodes;
        int pending = 0;
        for (int k = 0, o = 0; o < n; k++, o += 4) {
            int u = code4(levels, lo + o);
            boolean on = map[u] >= 0;
            onGrid[fo + k] = on;
            // bit 15: the group may search its short list
            off[pending] = u | (in[o] & in[o + 1] & in[o + 2] & in[o + 3] ? 1 << 15 : 0) | o << 16;
            pending += on ? 0 : 1;
        }
        if (pending == 0) {
            return;
        }
        float[] t = slotTerms;
        float[] sx = slotX;
        float[] sw = slotW;
        float[] sqs = slotQ;
        for (int j = 0; j < 8 * n; j++) {
            float d = scale * sqs[j] - sx[j];
            t[j] = sw[j] * d * d;
        }
        boolean plain = groupsPlain && Math.abs(scale) < HUGE;
        for (int j = 0; j < pending; j++) {
            int u = off[j] & 0x7FFF;
            int o = off[j] >>> 16;
            int code;
            if (!plain) {
                code = best4(t, 8 * o, -map[u] - 1);
            } else if ((off[j] & 1 << 15) != 0) {
                code = best4Keyed(cb.shortLists, t, 8 * o, cb.shortStarts[u]);
            } else {
                code = best4Keyed(cb.lists, t, 8 * o, -map[u] - 1);
            }
            if (code < 0) {
                throw tooLarge();
            }
            writeCode4(code, levels, lo + o);
        }
    }

    /** Levels (and whether each value lies well inside its level's rounding cell) at inverse scale {@code id}. */
    private static void levelsInside(float id, float[] xval, int n, byte[] levels, int lo, boolean[] in, int io) {
        for (int i = 0; i < n; i++) {
            float v = 0.5f * (id * xval[i] - 1);
            int l = Math.min(Math.max(IqMath.nearestInt(v), 0), 7);
            levels[lo + i] = (byte) l;
            // well inside the level's rounding cell (see DominanceLists); NaN fails the tests
            in[io + i] = DominanceLists.inside(v, l);
        }
    }

    private static int code4(byte[] levels, int at) {
        return levels[at] | levels[at + 1] << 3 | levels[at + 2] << 6 | levels[at + 3] << 9;
    }

    /** The levels of an 8-coordinate code: its 2-bit fields. */
    private static void writeCode8(int code, byte[] levels, int at) {
        for (int i = 0; i < 8; i++) {
            levels[at + i] = (byte) ((code >>> (2 * i)) & 3);
        }
    }

    /** The levels of a 4-coordinate grid code: its 3-bit fields. */
    private static void writeCode4(int code, byte[] levels, int at) {
        levels[at] = (byte) (code & 7);
        levels[at + 1] = (byte) ((code >>> 3) & 7);
        levels[at + 2] = (byte) ((code >>> 6) & 7);
        levels[at + 3] = (byte) (code >>> 9);
    }

    /**
     * IQ3 family: {@link #snapGroups} of the sub-block fixed by {@link #setGroups} for {@code passes} scale
     * passes at once, pass p's levels into {@code levels[p·n ..]} and flags into {@code onGrid[p·n/4 ..]};
     * the same result as one {@link #snapGroups} per pass. With the vector kernels on, the passes that put a
     * group on the same off-grid code (and the same list, full or short) search it side by side, one pass per
     * lane ({@link CodebookArgmin#argmin4Lanes}: same terms, same sums, same first minimum).
     */
    void snapGroupPasses(float[] ids, float[] scales, int passes, byte[] levels, boolean[] onGrid) {
        int n = groupN;
        int groups = n / 4;
        if (!CodebookArgmin.vectorized()) {
            for (int p = 0; p < passes; p++) {
                snapGroups(ids[p], scales[p], levels, p * n, onGrid, p * groups);
            }
            return;
        }
        int chunks = (passes + CodebookArgmin.LANES - 1) / CodebookArgmin.LANES;
        int[] keys = passCodes(chunks * CodebookArgmin.LANES);
        int[] found = passFound(chunks * CodebookArgmin.LANES);
        float[] tv = passTerms(chunks);
        int[] map = cb.map;
        float[] xval = groupX;
        float[] w = groupW;
        for (int k = 0; k < groups; k++) {
            int o = 4 * k;
            CodebookArgmin.levelCodes4(ids, passes, xval, o, DominanceLists.CELL_LO16, DominanceLists.CELL_HI16, keys);
            boolean search = false;
            for (int p = 0; p < passes; p++) {
                int at = p * n + o;
                int u = keys[p] & 0xFFF;
                writeCode4(u, levels, at);
                boolean on = map[u] >= 0;
                onGrid[p * groups + k] = on;
                if (on) {
                    keys[p] = -1;
                } else if (!groupsPlain || !(Math.abs(scales[p]) < HUGE)) {
                    // literal comparisons (negative, NaN or infinite weights, huge scales): one pass at a time
                    keys[p] = -1;
                    for (int i = 0; i < 4; i++) {
                        for (int l = 0; l < 8; l++) {
                            float d = scales[p] * odd[l] - xval[o + i];
                            terms[8 * i + l] = w[o + i] * d * d;
                        }
                    }
                    int code = best4(terms, 0, -map[u] - 1);
                    if (code < 0) {
                        throw tooLarge();
                    }
                    writeCode4(code, levels, at);
                } else {
                    // the list to search: the short one when every value is well inside its cell
                    keys[p] = (keys[p] & 1 << 15) != 0 ? cb.shortStarts[u] | SHORT : -map[u] - 1;
                    search = true;
                }
            }
            if (!search) {
                continue;
            }
            CodebookArgmin.terms4Lanes(scales, passes, odd, xval, o, w, o, tv);
            for (int p = 0; p < passes; p++) {
                int key = keys[p];
                if (key < 0) {
                    continue;
                }
                int[] list = (key & SHORT) != 0 ? cb.shortLists : cb.lists;
                int start = key & ~SHORT;
                int len = list[start] & 0xFFFF;
                for (int c = p / CodebookArgmin.LANES; c < chunks; c++) {
                    boolean used = false;
                    for (int q = c * CodebookArgmin.LANES; q < Math.min(passes, (c + 1) * CodebookArgmin.LANES); q++) {
                        used |= keys[q] == key;
                    }
                    if (used) {
                        CodebookArgmin.argmin4Lanes(tv, 32 * CodebookArgmin.LANES * c, list, start + 2, len, found,
                                c * CodebookArgmin.LANES);
                    }
                }
                for (int q = p; q < passes; q++) {
                    if (keys[q] != key) {
                        continue;
                    }
                    keys[q] = -1;
                    if (found[q] < 0) {
                        throw tooLarge();
                    }
                    writeCode4(NeighbourLists.codeOfTermIndices4(list[start + 2 + found[q]]), levels, q * n + o);
                }
            }
        }
    }

    private int[] passFound(int size) {
        if (passFound == null || passFound.length < size) {
            passFound = new int[size];
        }
        return passFound;
    }

    private float[] passTerms(int chunks) {
        int size = 32 * CodebookArgmin.LANES * chunks;
        if (passTerms == null || passTerms.length < size) {
            passTerms = new float[size];
        }
        return passTerms;
    }

    /**
     * IQ1 neighbour choice (§8.8 step 6): over the list of off-grid code {@code u}, the entry minimising
     * {@code Σ w·(scale·xx[level] − x)²} with signed x. Writes its levels to {@code levels[lo ..]}.
     */
    int bestNeighbourIq1(int u, float[] x, int xo, float[] w, int wo, float scale, float[] xx, byte[] levels,
                         int lo) {
        int e = best(u, scaled(scale, xx, 3), x, xo, w, wo, scale);
        writeLevels(e, levels, lo);
        return e;
    }

    /** {@code scaled[l] = scale·q[l]}: the first operation of every term, shared by all groups of a pass. */
    private float[] scaled(float scale, float[] q, int levels) {
        float[] sq = scaled;
        for (int l = 0; l < levels; l++) {
            sq[l] = scale * q[l];
        }
        return sq;
    }

    /** The entry whose levels are {@code levels[off .. off+dims)}; fails if they are not a grid point. */
    int entryOf(byte[] levels, int off) {
        int u = 0;
        for (int i = 0; i < cb.dims; i++) {
            u |= levels[off + i] << (cb.bits * i);
        }
        int e = u >= 0 && u < cb.map.length ? cb.map[u] : -1;
        if (e < 0) {
            throw new IllegalStateException("levels of code " + u + " are not on the grid (ggml aborts here too)");
        }
        return e;
    }

    private void writeLevels(int e, byte[] levels, int off) {
        int c = cb.codes[e];
        int mask = (1 << cb.bits) - 1;
        for (int i = 0; i < cb.dims; i++) {
            levels[off + i] = (byte) ((c >>> (cb.bits * i)) & mask);
        }
    }

    /**
     * Over the neighbour list of off-grid code {@code u}: ggml's {@code argmin Σ_i w_i·(scale·q[level_i] − x_i)²}
     * (each term {@code (w·d)·d}, summed from coordinate 0, first strict minimum in list order).
     *
     * <p>Terms are tabulated per (coordinate, level). The list is walked group by group (entries sharing
     * the low half of their code, see NeighbourLists): the low-half sum is formed once per group, and a
     * lower bound of every total in the group, that sum followed by the smallest term of each remaining
     * coordinate within the group's level range (float addition is monotone, so this bounds the exact float
     * totals), skips the group when it exceeds the best total so far. Ties are broken by list position, as
     * ggml's sequential strict {@code <} does.
     */
    private int best(int u, float[] sq, float[] x, int xo, float[] w, int wo, float scale) {
        int code;
        boolean plain = Math.abs(scale) < HUGE;
        if (cb.dims == 8) {
            for (int i = 0; i < 8; i++) {
                float wi = w[wo + i];
                float xi = x[xo + i];
                plain &= Integer.compareUnsigned(Float.floatToRawIntBits(wi), 0x7F800000) < 0;
                float d0 = sq[0] - xi;
                float d1 = sq[1] - xi;
                float d2 = sq[2] - xi;
                float t0 = wi * d0 * d0;
                float t1 = wi * d1 * d1;
                float t2 = wi * d2 * d2;
                terms[4 * i] = t0;
                terms[4 * i + 1] = t1;
                terms[4 * i + 2] = t2;
                if (i >= 4) {
                    // smallest term per level range 3·lo + hi (NaN may poison a bound, which only disables skipping)
                    int at = 16 * (i - 4);
                    float m01 = t0 < t1 ? t0 : t1;
                    float m12 = t1 < t2 ? t1 : t2;
                    rangeMin[at] = t0;
                    rangeMin[at + 1] = m01;
                    rangeMin[at + 2] = t2 < m01 ? t2 : m01;
                    rangeMin[at + 4] = t1;
                    rangeMin[at + 5] = m12;
                    rangeMin[at + 8] = t2;
                }
            }
            code = best8(-cb.map[u] - 1, plain);
        } else {
            for (int i = 0; i < 4; i++) {
                float wi = w[wo + i];
                float xi = x[xo + i];
                plain &= Integer.compareUnsigned(Float.floatToRawIntBits(wi), 0x7F800000) < 0;
                for (int l = 0; l < 8; l++) {
                    float d = sq[l] - xi;
                    terms[8 * i + l] = wi * d * d;
                }
            }
            code = plain ? best4Keyed(cb.lists, terms, 0, -cb.map[u] - 1) : best4(terms, 0, -cb.map[u] - 1);
        }
        if (code < 0) {
            throw tooLarge();
        }
        return cb.map[code];
    }

    private static IllegalArgumentException tooLarge() {
        return new IllegalArgumentException("values too large for the codebook search: every candidate's error "
                + "overflowed the float range (ggml aborts on such input as well); rescale the tensor");
    }

    /**
     * 8 coordinates of 2 bits, terms at {@code 4·i + level}; returns the winning code or -1. With
     * {@code plain} (see {@link #best4Keyed}) ties and minima are resolved by a branch-free running minimum of
     * (total bits, list position); otherwise by ggml's comparisons on the floats.
     */
    private int best8(int start, boolean plain) {
        int[] ls = cb.lists;
        float[] t = terms;
        float[] mr = rangeMin;
        int groups = ls[start] >>> 16;
        float best = Float.MAX_VALUE;
        int bestPos = -1;
        int bestCode = -1;
        long bestKey = Long.MAX_VALUE;
        int p = start + 1;
        for (int g = 0; g < groups; g++) {
            int head = ls[p++];
            int count = head >>> 24;
            float low = t[head & 3] + t[4 + ((head >>> 2) & 3)] + t[8 + ((head >>> 4) & 3)] + t[12 + ((head >>> 6) & 3)];
            float bound = low + mr[(head >>> 8) & 15] + mr[16 + ((head >>> 12) & 15)] + mr[32 + ((head >>> 16) & 15)]
                    + mr[48 + ((head >>> 20) & 15)];
            if (bound > best) {
                p += count;
                continue;
            }
            if (plain) {
                for (int k = 0; k < count; k++) {
                    int v = ls[p++];
                    float d2 = low + t[16 + ((v >>> 8) & 3)] + t[20 + ((v >>> 10) & 3)] + t[24 + ((v >>> 12) & 3)]
                            + t[28 + ((v >>> 14) & 3)];
                    // key: total bits, then list position, then the code (recovered below)
                    bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | (v >>> 16) << 16 | (v & 0xFFFF));
                }
                best = Float.intBitsToFloat((int) (bestKey >>> 32));
                continue;
            }
            for (int k = 0; k < count; k++) {
                int v = ls[p++];
                float d2 = low + t[16 + ((v >>> 8) & 3)] + t[20 + ((v >>> 10) & 3)] + t[24 + ((v >>> 12) & 3)]
                        + t[28 + ((v >>> 14) & 3)];
                int pos = v >>> 16;
                if (d2 < best || d2 == best && pos < bestPos) {
                    best = d2;
                    bestPos = pos;
                    bestCode = v & 0xFFFF;
                }
            }
        }
        if (plain) {
            return (int) (bestKey >>> 32) >= MAX_BITS ? -1 : (int) bestKey & 0xFFFF;
        }
        return bestCode;
    }

    /**
     * {@link #best4} when every weight is +0 or positive and finite and the scale is moderate: then every
     * term, and every total, is +0, positive or +∞, whose IEEE bit patterns order like their values. The
     * pair (total bits, list position) packed in a long then orders candidates exactly as ggml's sequential
     * strict {@code <} does (smallest total, first in the list), and a branch-free running minimum finds it.
     * Terms at {@code t[b + 8·i + level]}.
     */
    private static int best4Keyed(int[] ls, float[] t, int b, int start) {
        int n = ls[start] & 0xFFFF;
        int p = start + 2;
        if (CodebookArgmin.vectorized()) {
            int k = CodebookArgmin.argmin4(t, b, ls, p, n);
            return k < 0 ? -1 : NeighbourLists.codeOfTermIndices4(ls[p + k]);
        }
        long bestKey = Long.MAX_VALUE;
        for (int k = 0; k < n; k++) {
            int v = ls[p + k];
            float d2 = t[b + (v & 31)] + t[b + ((v >>> 5) & 31)] + t[b + ((v >>> 10) & 31)]
                    + t[b + ((v >>> 15) & 31)];
            bestKey = Math.min(bestKey, (long) Float.floatToRawIntBits(d2) << 32 | k);
        }
        // ggml's running best starts at FLT_MAX: a total that is not below it never wins
        if ((int) (bestKey >>> 32) >= MAX_BITS) {
            return -1;
        }
        return NeighbourLists.codeOfTermIndices4(ls[p + (int) bestKey]);
    }

    /**
     * 4 coordinates of 3 bits, one group of packed term indices in list order, terms at {@code t[b ..]};
     * the winning code or -1.
     */
    private int best4(float[] t, int b, int start) {
        int[] ls = cb.lists;
        int n = ls[start] & 0xFFFF;
        float best = Float.MAX_VALUE;
        int bestV = -1;
        int p = start + 2;
        for (int k = 0; k < n; k++) {
            int v = ls[p + k];
            float d2 = t[b + (v & 31)] + t[b + ((v >>> 5) & 31)] + t[b + ((v >>> 10) & 31)]
                    + t[b + ((v >>> 15) & 31)];
            boolean better = d2 < best;
            best = better ? d2 : best;
            bestV = better ? v : bestV;
        }
        return bestV < 0 ? -1 : NeighbourLists.codeOfTermIndices4(bestV);
    }
}
