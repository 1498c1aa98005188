package ${package};

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.File;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

import io.switchboard.testing.JdkWebSocketClient;
import io.switchboard.testing.NumberedMessages;
import io.switchboard.testing.TestEndpoint;
import io.switchboard.testing.osgi.BundleCheck;
import io.switchboard.testing.osgi.SwitchboardOptions;

/**
 * The bundle this project builds, in Apache Felix with Switchboard, Declarative Services and
 * Configuration Admin, and an endpoint on a free port (SwitchboardOptions); a client talks to the
 * handler's route there. Failsafe runs it after the jar is packaged (mvn verify).
 *
 * <p>The test runs inside the framework, in a bundle of its own that sees only what bundles
 * export; the handler's bundle exports nothing. It uses only HelloHandler's constants, which the
 * compiler copies into this class.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HelloHandlerIT {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] configuration() {
        // The jar under test, by path: failsafe passes it in handler.bundle (see pom.xml).
        File jar = new File(System.getProperty("handler.bundle"));
        return options(SwitchboardOptions.switchboard(), bundle(jar.toURI().toString()));
    }

    @Test
    public void theComponentGreetsOnItsRoute() {
        BundleCheck.assertEveryBundleReady(context);
        try (JdkWebSocketClient client = JdkWebSocketClient.connect(TestEndpoint.awaitRoute(HelloHandler.ROUTE))) {
            NumberedMessages.over(client).roundTrips(5, n -> HelloHandler.GREETING + n);
        }
    }
}
