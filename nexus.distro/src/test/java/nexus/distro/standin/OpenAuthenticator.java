package nexus.distro.standin;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import nexus.security.Authenticator;
import nexus.security.Identity;
import nexus.security.Ticket;

/**
 * An authenticator of a node with no identities, deployed by {@code TlsIT} so that the exposure
 * check has one to ask whether the node is open even where nexus.security's own is not running.
 * Only {@link #open()} is ever called.
 */
public final class OpenAuthenticator implements Authenticator, BundleActivator {

    @Override
    public void start(BundleContext context) {
        context.registerService(Authenticator.class, this, null);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }

    @Override
    public Identity authenticate(String authorization, String address, String via) {
        throw new UnsupportedOperationException("a stand-in: only open() is answered");
    }

    @Override
    public Ticket issueTicket(Identity identity) {
        throw new UnsupportedOperationException("a stand-in: only open() is answered");
    }

    @Override
    public Identity redeemTicket(String ticket, Identity presenter, String address, String via) {
        throw new UnsupportedOperationException("a stand-in: only open() is answered");
    }

    @Override
    public Identity console() {
        throw new UnsupportedOperationException("a stand-in: only open() is answered");
    }

    @Override
    public boolean open() {
        return true;
    }
}
