"""Offer approvals: the request lifecycle, My Jobs > Approvals, one-click email decisions, expiry.

Decisions on what the design leaves open (also in the docstrings where they are enforced):
- Chains: a company's policy (approvals.policies; default: one step whose approver the
  requester chooses) is copied onto each request when it is created (RequestStep,
  StepApprover), so a policy edit never changes a request in flight. Steps activate in order;
  the first decline declines the request; the last step passing approves it.
- Visibility: a member sees the requests they created and those on which they are an approver
  of any step, in their own company (a later step's approvers can open it before they can act);
  a person holding both roles sees both, and in the Pending tab the requests awaiting their own
  decision (an undecided approver of the active step) come first. Anyone else gets 404.
- Tab counts are the requests the user sees in each state, and follow the current search.
- The decision comment is optional for approve and decline; the requester sees it.
- Only an undecided approver of the active step decides, while still an active approver of
  the company; the requester is left out of every step when the chain is planned.
- Resubmit is offered to the requester for declined and expired requests; it opens the form
  prefilled from the old request (start date moved to today if past) and links the new one.
- Expiry: the sweep expires pending requests past the decision window and approved ones past
  their validity; consumed ones expire only when their offer is released after validity.
- The reminder goes once per request (reminded_at), to the undecided approvers of the active
  step of a pending request that expires within a day; requests created less than 12 hours
  earlier are not reminded.
- The request form and the offer form share one set of contract-term bounds and messages
  (jobs.forms.ContractTermsForm: at most 80 hours a week, and a weekly limit only for hourly
  contracts; at most 100,000 an hour or 10,000,000 fixed), so nothing is approved that no
  offer could carry.
- The requester of an approved, unexpired request gets "Send the offer" on its page (the offer
  form preselects the approval). Pending, declined and expired requests show no offer section
  unless an offer once used them. The decision email links the next step: send the offer,
  or resubmit the declined request.
- A pending request past its decision window is not flagged "Awaiting your decision" on the
  dashboard, even before the sweep marks it expired.
- A request with exactly the terms of one of the requester's pending requests to the same
  approver is refused, naming it (a double-clicked submit would otherwise ask twice);
  creates by one requester are serialised on their Membership row so two POSTs at once
  cannot both pass. The justification is not compared.
- Requests cannot be deleted in the admin (the audit trail would go with them); staff expire.
- A tampered link shows no request; a genuine but used or expired link shows the request's
  current state; a signed-in different user is refused (403) without changing anything.
- Bulk decisions (Pending tab): the rows awaiting the user's decision get a checkbox; one
  comment, one confirmation (approve too, listing what will be decided), then each request is
  decided alone by the same service (services.approval_requests_decide_many); a refusal is
  listed with its reason and undoes nothing. At most 50 a submit; another's id is "not found".
"""
