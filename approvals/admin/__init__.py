"""Admin for approvals, used by platform staff (the company's Program Success Manager).

- Requests are an audit view. Every field, the state above all, is read-only, and so is the
  chain copied onto the request at creation; the only way to change a state here is the
  "Expire" action, which goes through the service (approve and decline stay with the chain's
  approvers, by the rules of the lifecycle).
- Policies are edited here: which offers need approval and the ordered steps. A change never
  reaches a request in flight (each request keeps its own copy of the chain).
- Companies: accounts' CompanyAdmin is registered again here, with the checks only approvals
  can make (accounts sits below approvals and cannot import it): approvals are not switched on
  for a company in which no hiring manager could get an approval, and the company page links
  to its policy.
"""

from . import approval_policies, approval_requests, companies

__all__ = ["approval_policies", "approval_requests", "companies"]
