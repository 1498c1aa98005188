package io.switchboard.endpoint.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The interop scenarios with Jetty 12's WebSocket client, one client for the class. */
class JettyClientInteropTest extends ClientInteropScenarios {
    private static JettyClient client;

    @BeforeAll
    static void startClient() throws Exception {
        client = new JettyClient();
    }

    @AfterAll
    static void stopClient() throws Exception {
        client.stop();
    }

    @Override
    ClientDriver client() {
        return client;
    }
}
