package io.intentstream.trainer.losses;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossesByNameTest {

    @Test
    void shouldBuildTheNamedLossWhenTheNameIsKnown() {
        assertInstanceOf(
                TripletLoss.class, Losses.byName("TripletLoss", null, Losses.Options.defaults()));
        assertInstanceOf(
                MultipleNegativesRankingLoss.class,
                Losses.byName("MultipleNegativesRankingLoss", null, Losses.Options.defaults()));
        assertInstanceOf(
                CoSENTLoss.class,
                Losses.byName(LossName.CoSENTLoss, null, Losses.Options.defaults()));
    }

    @Test
    void shouldWrapInMatryoshkaLossWhenDimensionsAreGiven() {
        Losses.Options options = new Losses.Options(null, null, List.of(384, 128), 2, 42);
        assertInstanceOf(
                MatryoshkaLoss.class,
                Losses.byName(LossName.MultipleNegativesRankingLoss, null, options));
    }

    @Test
    void shouldNameTheKnownLossesWhenTheNameIsUnknown() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Losses.byName("NoSuchLoss", null, Losses.Options.defaults()));
        assertTrue(e.getMessage().contains("MultipleNegativesRankingLoss"), e.getMessage());
    }
}
