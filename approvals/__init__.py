"""Offer approvals: the request lifecycle, My Jobs > Approvals, one-click email decisions, expiry.

Decisions on what the design leaves open (also in the docstrings where they are enforced):
- Visibility: a member sees the requests they created and those assigned to them as approver,
  in their own company; a person holding both roles sees both, and in the Pending tab the
  requests awaiting their own decision come first. Anyone else gets 404.
- Tab counts are the requests the user sees in each state, and follow the current search.
- The decision comment is optional for approve and decline; the requester sees it.
- Only the assigned approver decides, while still an active approver of the company; the
  requester never decides their own request.
- Resubmit is offered to the requester for declined and expired requests; it opens the form
  prefilled from the old request (start date moved to today if past) and links the new one.
- Expiry: the sweep expires pending requests past the decision window and approved ones past
  their validity; consumed ones expire only when their offer is released after validity.
- The reminder goes once per request (reminded_at), to the approver of a pending request
  that expires within a day; requests created less than 12 hours earlier are not reminded.
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
"""
