/**
 * Federation over MQTT Sparkplug B 3.0 (docs/federation.md). The node takes part in a Sparkplug
 * system on a real MQTT broker as an edge node: it publishes a birth certificate with every tag its
 * configured identity may read, then only changes, and answers commands (rebirth requests and
 * writes, which go through the tag service under that identity and are audited). The
 * {@link nexus.sparkplug.SparkplugService} tells what the federation is doing, for the console and
 * the web console.
 */
@Export
@Version("1.1.0")
package nexus.sparkplug;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
