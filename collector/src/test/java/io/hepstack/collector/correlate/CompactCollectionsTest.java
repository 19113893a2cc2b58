package io.hepstack.collector.correlate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compact collections of live records behave like the JDK collections they replace. */
class CompactCollectionsTest {

    @Test
    void smallSetKeepsInsertionOrderNoDuplicatesAndItsCapacity() {
        SmallSet<String> set = new SmallSet<>(5);
        LinkedHashSet<String> reference = new LinkedHashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            String v = "v" + random.nextInt(12);
            boolean added = set.add(v);
            boolean referenceAdded = reference.size() < 5 && reference.add(v);
            assertThat(added).as("add %s", v).isEqualTo(referenceAdded);
        }
        assertThat(set).containsExactlyElementsOf(reference);
        assertThat(set.size()).isEqualTo(5);
        assertThat(set.isFull()).isTrue();
        assertThat(set.first()).isEqualTo(reference.iterator().next());
        assertThat(set.contains(reference.iterator().next())).isTrue();
        assertThat(new SmallSet<String>(3).first()).isNull();
        assertThat(new SmallSet<String>(3).isEmpty()).isTrue();
    }

    @Test
    void smallLongSetIsASortedBoundedSet() {
        SmallLongSet set = new SmallLongSet(100);
        TreeSet<Long> reference = new TreeSet<>();
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            long v = random.nextInt(300) - 150L;
            boolean referenceAdded = reference.size() < 100 ? reference.add(v) : false;
            assertThat(set.add(v)).as("add %d", v).isEqualTo(referenceAdded);
        }
        assertThat(set.size()).isEqualTo(reference.size()).isEqualTo(100);
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            values.add(set.get(i));
        }
        assertThat(values).containsExactlyElementsOf(reference);
        for (long v = -160; v < 160; v++) {
            assertThat(set.contains(v)).as("contains %d", v).isEqualTo(reference.contains(v));
        }
        assertThatThrownBy(() -> set.get(100)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void messageIdListGivesBackEveryIdInOrder() {
        MessageIdList ids = new MessageIdList();
        List<String> reference = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = i % 7 == 0 ? "x" + i : java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(java.nio.ByteBuffer.allocate(16).putLong(i * 31L).putLong(-i).array());
            ids.add(id);
            reference.add(id);
        }
        assertThat(ids).containsExactlyElementsOf(reference);
        assertThat(ids.size()).isEqualTo(300);
        assertThat(ids.get(299)).isEqualTo(reference.get(299));
        assertThat(new MessageIdList().iterator().hasNext()).isFalse();
        assertThatThrownBy(() -> ids.add("caf\u20ac")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void canonicalReturnsOneInstancePerValueWhileThereIsRoom() {
        Canonical canonical = new Canonical(9); // characters: INVITE + BYE
        String a = canonical.of(new String("INVITE"));
        assertThat(canonical.of(new String("INVITE"))).isSameAs(a);
        String b = canonical.of(new String("BYE"));
        assertThat(canonical.of(new String("BYE"))).isSameAs(b);
        String full = new String("ACK");
        assertThat(canonical.of(full)).as("no room: the value itself").isSameAs(full);
        assertThat(canonical.of(new String("ACK"))).isNotSameAs(full).isEqualTo("ACK");
        assertThat(canonical.size()).isEqualTo(2);
        assertThat(canonical.of(null)).isNull();
        assertThat(canonical.chars()).isEqualTo(9);
    }

    @Test
    void canonicalKeepsNoLongValueAndIsBoundedByCharacters() {
        Canonical canonical = new Canonical(1_000);
        String ua = "x".repeat(8_192); // a hostile User-Agent
        assertThat(canonical.of(ua)).hasSize(Canonical.MAX_CHARS);
        assertThat(canonical.truncated()).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            canonical.of(i + "y".repeat(200));
        }
        assertThat(canonical.chars()).as("never more than its budget").isLessThanOrEqualTo(1_000);
    }

    @Test
    void messageIdsAreWrittenFromTheirBytesAsTheirStringsWouldBe() throws Exception {
        MessageIdList ids = new MessageIdList();
        List<String> given = List.of("I0SvrqY1UR4rJVI-vCMqcQ", "wm5gJkrC8vzSN98DLHcafA", "caf\u00e9\"\\ \u0001", "x");
        given.forEach(ids::add);
        assertThat(json(g -> ids.write(g, "ids"))).isEqualTo(json(g -> {
            g.writeArrayFieldStart("ids");
            for (String id : given) {
                g.writeString(id);
            }
            g.writeEndArray();
        }));
        assertThat(json(g -> new MessageIdList().write(g, "ids"))).isEqualTo("{}");
    }

    private interface Body {
        void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException;
    }

    private static String json(Body body) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
