package io.steward.coordinator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static org.assertj.core.api.Assertions.assertThat;

class CompileCacheTest {
    @RegisterExtension
    final Scripts scripts = new Scripts();

    @Test
    void aSecondRunOfTheSameSourceDoesNotRecompile() throws Exception {
        scripts.write("same.groovy", "args.n * 2");
        long before = scripts.coordinator().engine().compilations();
        assertThat(scripts.run("same.groovy", java.util.Map.of("n", 1)).result()).isEqualTo(2L);
        long afterFirst = scripts.coordinator().engine().compilations();
        assertThat(scripts.run("same.groovy", java.util.Map.of("n", 2)).result()).isEqualTo(4L);
        assertThat(afterFirst - before).isEqualTo(1);
        assertThat(scripts.coordinator().engine().compilations()).isEqualTo(afterFirst);
    }

    @Test
    void changedSourceIsCompiledAgain() throws Exception {
        scripts.run("changing.groovy", "1");
        long before = scripts.coordinator().engine().compilations();
        assertThat(scripts.run("changing.groovy", "2").result()).isEqualTo(2L);
        assertThat(scripts.coordinator().engine().compilations()).isEqualTo(before + 1);
    }
}
