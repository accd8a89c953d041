package nexus.query.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import nexus.core.Caller;
import nexus.query.FindAlarms;
import nexus.query.FindFilter;
import nexus.query.FindPlan;
import nexus.query.FindResult;
import nexus.query.FindService;
import nexus.query.QueryService;

/**
 * The find service: {@link Finder} over the query service, with the alarm manager's
 * {@link FindAlarms} when it runs (without it, everything but live alarm criteria works).
 */
@Component(service = FindService.class)
public final class FindComponent implements FindService {

    private final Finder finder;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FindAlarms alarms;

    @Activate
    public FindComponent(@Reference QueryService queries) {
        this.finder = new Finder(queries, () -> alarms);
    }

    @Override
    public FindResult find(Caller caller, FindFilter filter) {
        return finder.find(caller, filter);
    }

    @Override
    public FindPlan explain(Caller caller, FindFilter filter) {
        return finder.explain(caller, filter);
    }
}
