package io.switchboard.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

import io.switchboard.whiteboard.SwitchboardRuntime;
import io.switchboard.whiteboard.WhiteboardConstants;
import io.switchboard.whiteboard.runtime.EndpointDTO;
import io.switchboard.whiteboard.runtime.FailedHandlerDTO;
import io.switchboard.whiteboard.runtime.HandlerDTO;
import io.switchboard.whiteboard.runtime.RuntimeDTO;

/**
 * The runtime information tells what the whiteboard does: which handler holds a route, which one
 * is shadowed by a better one, which one failed and why, and how many connections each route of
 * an endpoint has.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeInfoIT extends WhiteboardTestSupport {

    @Test
    public void reportsBoundShadowedAndFailedHandlersAndConnectionsPerRoute() throws Exception {
        RunningEndpoint endpoint = endpoint("runtime");
        ServiceRegistration<?> bound = register(new TaggedHandler("bound"), "/rt", Constants.SERVICE_RANKING, 10);
        ServiceRegistration<?> shadowed = register(new TaggedHandler("shadowed"), "/rt", Constants.SERVICE_RANKING, 1);
        ServiceRegistration<?> noRoute = register(new TaggedHandler("no route"), null);
        ServiceRegistration<?> badRoute = register(new TaggedHandler("bad route"), "no-slash");
        connect(endpoint, "/rt").request("1");
        connect(endpoint, "/rt").request("2");
        connect(endpoint, "/echo").request("3");

        RuntimeDTO runtime = context.getService(context.getServiceReference(SwitchboardRuntime.class)).runtime();

        HandlerDTO boundDto = find(runtime.boundHandlers, bound, "bound");
        assertArrayEquals(new String[] {"/rt"}, boundDto.routes);
        assertArrayEquals(new String[] {"runtime"}, boundDto.endpoints);
        assertEquals(10, boundDto.ranking);
        assertEquals(context.getBundle().getBundleId(), boundDto.bundleId);

        HandlerDTO shadowedDto = find(runtime.shadowedHandlers, shadowed, "shadowed");
        assertEquals(1, shadowedDto.ranking);
        assertArrayEquals(new String[0], shadowedDto.endpoints);

        FailedHandlerDTO noRouteDto = find(runtime.failedHandlers, noRoute, "failed");
        assertTrue("reason: " + noRouteDto.reason, noRouteDto.reason.contains(WhiteboardConstants.ROUTE));
        FailedHandlerDTO badRouteDto = find(runtime.failedHandlers, badRoute, "failed");
        assertTrue("reason: " + badRouteDto.reason, badRouteDto.reason.contains("no-slash"));

        EndpointDTO endpointDto = null;
        for (EndpointDTO candidate : runtime.endpoints) {
            if ("runtime".equals(candidate.name)) {
                endpointDto = candidate;
            }
        }
        assertNotNull("endpoint runtime is not reported", endpointDto);
        assertEquals(endpoint.port(), endpointDto.port);
        assertEquals("127.0.0.1", endpointDto.host);
        assertEquals(Map.of("/rt", 2, "/echo", 1), endpointDto.connectionsPerRoute);
    }

    private static <T extends HandlerDTO> T find(T[] handlers, ServiceRegistration<?> registration, String list) {
        long id = (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
        for (T handler : handlers) {
            if (handler.serviceId == id) {
                return handler;
            }
        }
        fail("service " + id + " is not among the " + list + " handlers");
        return null;
    }
}
