package io.intentstream.e2e;

import ai.djl.Device;
import io.intentstream.encoder.ModelLoader;
import io.intentstream.encoder.SentenceModel;
import io.intentstream.local.broker.EmbeddedKafka;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process KRaft broker and the default model for all tests of a class: started before the
 * first test, closed after the last. Register it as a static {@code @RegisterExtension} field.
 */
final class BrokerAndModel implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<EmbeddedKafka> broker;
    private EmbeddedKafka kafka;
    private SentenceModel model;

    /** A broker with a fresh temporary data directory. */
    BrokerAndModel() {
        this(EmbeddedKafka::start);
    }

    /**
     * A broker started by {@code broker}, called before the first test (after static
     * {@code @TempDir} fields are set).
     */
    BrokerAndModel(Supplier<EmbeddedKafka> broker) {
        this.broker = broker;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = broker.get();
        model = ModelLoader.load("default", Device.cpu());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (model != null) {
            model.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    EmbeddedKafka kafka() {
        return kafka;
    }

    SentenceModel model() {
        return model;
    }
}
