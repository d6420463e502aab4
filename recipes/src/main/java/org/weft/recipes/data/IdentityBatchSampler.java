package org.weft.recipes.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Batches of K identities × M images each, as person re-identification trains (paper 003: K = 32, M = 4), so that
 * every batch holds positive pairs (same identity) as well as negative ones.
 *
 * <p>What one epoch is, exactly:
 * <ul>
 *   <li>the distinct identities are shuffled and cut into groups of K; each group makes one batch, so every
 *       identity is used at most once per epoch; the last {@code identities mod K} identities of the shuffled
 *       order, too few for a batch, wait for a later epoch (a new shuffle gives them a new place), so
 *       {@link #batches} always returns {@code floor(identities / K)} batches of exactly K × M indices;</li>
 *   <li>an identity with at least M images contributes M distinct images drawn uniformly without replacement;
 *       one with fewer than M images contributes M images drawn uniformly with replacement from its own
 *       (as torchreid's RandomIdentitySampler does), so some of them repeat;</li>
 *   <li>a batch lists its identities in the shuffled order, each identity's M indices consecutively.</li>
 * </ul>
 * All draws of epoch e come from a generator seeded by (seed, e).
 */
public final class IdentityBatchSampler implements BatchSampler {

    private final int k;
    private final int m;
    private final long seed;
    /** The dataset indices of each distinct identity, identities in increasing order of their label. */
    private final int[][] members;

    /**
     * @param identities the identity label of every dataset example (index i is example i)
     * @param k identities per batch
     * @param m images per identity
     */
    public IdentityBatchSampler(int[] identities, int k, int m, long seed) {
        if (k < 1 || m < 1) {
            throw new IllegalArgumentException("IdentityBatchSampler: K (identities per batch) and M (images per"
                    + " identity) must be >= 1, got K=" + k + ", M=" + m);
        }
        TreeMap<Integer, List<Integer>> byIdentity = new TreeMap<>();
        for (int i = 0; i < identities.length; i++) {
            byIdentity.computeIfAbsent(identities[i], id -> new ArrayList<>()).add(i);
        }
        if (byIdentity.size() < k) {
            throw new IllegalArgumentException("IdentityBatchSampler: a batch needs K=" + k + " distinct identities"
                    + " but the dataset has " + byIdentity.size());
        }
        this.members = new int[byIdentity.size()][];
        int p = 0;
        for (List<Integer> indices : byIdentity.values()) {
            int[] a = new int[indices.size()];
            for (int j = 0; j < a.length; j++) {
                a[j] = indices.get(j);
            }
            members[p++] = a;
        }
        this.k = k;
        this.m = m;
        this.seed = seed;
    }

    /** Identities per batch. */
    public int k() {
        return k;
    }

    /** Images per identity in a batch. */
    public int m() {
        return m;
    }

    @Override
    public List<int[]> batches(int epoch) {
        SplittableRandom random = Seeds.random(seed, Seeds.SAMPLER, epoch);
        int[] order = new int[members.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Permutations.shuffle(order, random);
        int count = members.length / k;
        List<int[]> batches = new ArrayList<>(count);
        for (int b = 0; b < count; b++) {
            int[] batch = new int[k * m];
            for (int j = 0; j < k; j++) {
                draw(members[order[b * k + j]], random, batch, j * m);
            }
            batches.add(batch);
        }
        return batches;
    }

    /** M images of one identity into {@code out[at .. at+M)}. */
    private void draw(int[] images, SplittableRandom random, int[] out, int at) {
        if (images.length >= m) {
            // A partial Fisher–Yates on a copy: the first M positions become a uniform M-subset in random order.
            int[] pool = images.clone();
            for (int i = 0; i < m; i++) {
                int j = i + random.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
                out[at + i] = pool[i];
            }
        } else {
            for (int i = 0; i < m; i++) {
                out[at + i] = images[random.nextInt(images.length)];
            }
        }
    }
}
