package io.hepstack.collector.index;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bulk indexer's document arrays: reused by size class, idle ones within a budget, large ones never pooled. */
class DocumentPoolTest {

    @Test
    void anArrayGivenBackIsTakenAgainForADocumentOfItsSizeClass() {
        DocumentPool pool = new DocumentPool(1 << 20);
        byte[] a = pool.take(1_200);
        assertThat(a).hasSize(1_280);
        pool.give(a);
        assertThat(pool.idleBytes()).isEqualTo(1_280);
        assertThat(pool.take(1_100)).isSameAs(a);
        assertThat(pool.idleBytes()).isZero();
        assertThat(pool.take(1_100)).as("the class is empty: a new one").isNotSameAs(a).hasSize(1_280);
        assertThat(pool.take(2_000)).hasSize(2_048);
    }

    @Test
    void idleArraysStayWithinTheBudgetAndLargeOrForeignOnesAreNotKept() {
        DocumentPool pool = new DocumentPool(4_096);
        for (int i = 0; i < 10; i++) {
            pool.give(new byte[1_024]);
        }
        assertThat(pool.idleBytes()).isEqualTo(4_096);
        DocumentPool other = new DocumentPool(1 << 20);
        byte[] large = other.take(DocumentPool.MAX_POOLED + 1);
        assertThat(large).hasSize(DocumentPool.MAX_POOLED + 1);
        other.give(large);
        other.give(new byte[1_000]); // not a size the pool makes
        assertThat(other.idleBytes()).isZero();
    }
}
