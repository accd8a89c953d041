package nexus.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code nexus.simulator}: the simulator runs only while this configuration exists. */
@ObjectClassDefinition(name = "RMA Nexus demo simulator", description = "Writes moving values into RMA for the"
        + " tags the registry marks with the property simulate. For demos and load tests; remove the"
        + " configuration in production.")
@interface SimulatorConfig {

    @AttributeDefinition(description = "Milliseconds between two steps")
    long interval() default 500;
}
