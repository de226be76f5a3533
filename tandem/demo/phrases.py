"""What the demo company's sellers and project managers write: deal names, reasons, notes."""

# Deals an AV integrator and event stager sells, by industry:
# (name, project type, lowest amount, highest amount) in dollars.
# fmt: off
DEAL_TEMPLATES = {
    "corporate": [
        ("Boardroom video conferencing refresh", "av_installation", 60_000, 240_000),
        ("Town hall auditorium AV upgrade", "av_installation", 120_000, 420_000),
        ("Annual shareholder meeting staging", "event_staging", 40_000, 160_000),
        ("Sales kickoff general session", "event_staging", 60_000, 220_000),
        ("Meeting room support agreement", "service_contract", 12_000, 48_000),
        ("Lobby LED wall", "av_installation", 80_000, 260_000),
    ],
    "education": [
        ("Lecture hall projection upgrade", "av_installation", 45_000, 180_000),
        ("Commencement staging and IMAG", "event_staging", 35_000, 120_000),
        ("Classroom AV standards rollout (24 rooms)", "av_installation", 150_000, 450_000),
        ("Campus AV maintenance contract", "service_contract", 18_000, 60_000),
        ("Athletics hall of fame gala rental", "rental", 8_000, 30_000),
    ],
    "events": [
        ("Exhibit hall digital signage", "av_installation", 90_000, 380_000),
        ("Ballroom house AV refresh", "av_installation", 70_000, 300_000),
        ("House rigging points survey and upgrade", "av_installation", 30_000, 110_000),
        ("In-house AV partnership agreement", "service_contract", 25_000, 60_000),
        ("Festival main stage staging", "event_staging", 50_000, 240_000),
        ("Breakout room rental package", "rental", 10_000, 40_000),
    ],
    "worship": [
        ("Sanctuary LED wall", "av_installation", 60_000, 220_000),
        ("Sanctuary sound system replacement", "av_installation", 45_000, 160_000),
        ("Livestream camera package", "av_installation", 25_000, 90_000),
        ("Easter services staging", "event_staging", 12_000, 45_000),
        ("Christmas concert rental", "rental", 8_000, 25_000),
    ],
    "hospitality": [
        ("Grand ballroom AV upgrade", "av_installation", 90_000, 350_000),
        ("Meeting space AV service agreement", "service_contract", 20_000, 60_000),
        ("New Year's Eve gala staging", "event_staging", 30_000, 110_000),
        ("Pool deck concert rental", "rental", 10_000, 38_000),
        ("Sports bar video wall", "av_installation", 40_000, 140_000),
    ],
    "sports": [
        ("Concourse IPTV and digital signage", "av_installation", 150_000, 450_000),
        ("Center-hung scoreboard control upgrade", "av_installation", 120_000, 400_000),
        ("Opening night show staging", "event_staging", 60_000, 250_000),
        ("Premium suites AV refresh", "av_installation", 70_000, 200_000),
        ("Game-day AV support contract", "service_contract", 30_000, 60_000),
    ],
    "healthcare": [
        ("Simulation center AV and recording", "av_installation", 90_000, 320_000),
        ("Conference center AV refresh", "av_installation", 60_000, 200_000),
        ("Foundation gala staging", "event_staging", 25_000, 90_000),
        ("Telehealth room standards (10 rooms)", "av_installation", 50_000, 160_000),
        ("AV support agreement", "service_contract", 15_000, 45_000),
    ],
    "government": [
        ("Council chamber AV and streaming", "av_installation", 70_000, 260_000),
        ("Emergency operations center video wall", "av_installation", 120_000, 420_000),
        ("State of the city address staging", "event_staging", 15_000, 50_000),
        ("Public meeting AV maintenance", "service_contract", 10_000, 36_000),
    ],
    "media": [
        ("Studio B lighting grid", "av_installation", 60_000, 240_000),
        ("Client product launch staging", "event_staging", 50_000, 200_000),
        ("Awards night staging", "event_staging", 40_000, 180_000),
        ("Camera and switcher rental", "rental", 8_000, 30_000),
    ],
    "technology": [
        ("User conference general session", "event_staging", 80_000, 300_000),
        ("Customer experience center AV", "av_installation", 90_000, 350_000),
        ("Trade show booth AV rental", "rental", 15_000, 60_000),
        ("Developer summit breakout AV", "event_staging", 30_000, 120_000),
    ],
    "retail": [
        ("Flagship showroom video wall", "av_installation", 50_000, 220_000),
        ("Store network digital signage", "av_installation", 90_000, 380_000),
        ("Dealer meeting staging", "event_staging", 20_000, 80_000),
        ("Signage content and support plan", "service_contract", 8_000, 30_000),
    ],
}
# fmt: on

# Why a close date moved later.
PUSH_REASONS = [
    "Customer's board moved budget approval to Q3.",
    "Venue contract delayed; they will not sign with us before the venue is locked.",
    "Procurement wants a third bid before award.",
    "Their CFO left; the new one is reviewing every capital request.",
    "Architect pushed the construction schedule by six weeks.",
    "Legal is still redlining the master services agreement.",
    "Decision maker on leave until the end of the month.",
    "Customer asked for a half-scope option before deciding.",
    "Grant funding confirmation slipped to next quarter.",
    "Event date moved, so the booking decision moved with it.",
    "IT security review of the control system is taking longer than planned.",
    "Waiting on the general contractor's revised drawings.",
    "Budget cycle restarted after their fiscal year end.",
    "Champion changed roles; we are re-qualifying with the new owner.",
    "Union labour rates came back higher; customer re-approving budget.",
]

# Why a close date moved earlier.
PULL_REASONS = [
    "Customer wants the install finished before the summer break.",
    "Budget left over at year end: they want to sign this month.",
    "Show dates confirmed earlier than expected.",
]

NEXT_STEPS = {
    1: [
        "Qualify budget and timeline on the intro call",
        "Find out who signs off above the facilities team",
        "Send capabilities deck and two case studies",
        "Book a site walk with their technical director",
    ],
    2: [
        "Site survey with Pat next week",
        "Collect room drawings and ceiling heights",
        "Discovery workshop with events and IT",
        "Confirm power and rigging points with the venue",
    ],
    3: [
        "Pat to finish the estimate; proposal out by Friday",
        "Walk the customer through the budget range",
        "Send good / better / best options",
        "Review proposal with the CFO",
    ],
    4: [
        "Redline the terms with their procurement",
        "Agree the payment schedule and deposit",
        "Value-engineer the display package to hit budget",
        "Final scope call with decision maker",
    ],
    5: [
        "PO expected this week",
        "Contract with their legal for signature",
        "Book crew and equipment hold for the install window",
        "Schedule the handoff meeting with Pat",
    ],
}

LOST_NOTES = {
    "price": [
        "Lost on price: the other bid was 18% lower with a lesser display package.",
        "Budget could not stretch to our number even after value engineering.",
    ],
    "competitor": [
        "Went with the incumbent integrator who did their last build.",
        "A national integrator bundled it with their multi-site contract.",
    ],
    "timing": [
        "Project shelved until the renovation is funded.",
        "Event cancelled for this year; may return next season.",
    ],
    "no_decision": [
        "Committee could not agree on scope; went quiet after the proposal.",
        "No response after three follow-ups and a site visit.",
    ],
    "scope": [
        "They needed rigging certification for the structure we could not provide in time.",
        "Install window was two weeks; our crews were committed elsewhere.",
    ],
    "other": ["Customer decided to hire an in-house AV team instead."],
}

NURTURE_NOTES = [
    "Budget frozen until next fiscal year; check back in Q3.",
    "Renovation on hold; keep in touch with the facilities manager quarterly.",
    "Champion likes us but there is no project this year. Invite to our open house.",
    "Waiting on their capital campaign; revisit after the campaign closes.",
]

# Activity subjects and bodies by kind. {contact}, {deal}, {account} and {pm} are filled in.
ACTIVITY_TEMPLATES = {
    "call": [
        (
            "Intro call with {contact}",
            "Talked through their goals for {deal}. Budget is not "
            "set yet; they want a range before the next board meeting.",
        ),
        (
            "Follow-up call on budget",
            "{contact} confirmed the budget holder is finance. They "
            "want options at two price points.",
        ),
        (
            "Check-in with {contact}",
            "Quick catch-up. Timeline still holds; waiting on their internal approval.",
        ),
        (
            "Call about install window",
            "{contact} asked whether we can install over a "
            "long weekend to avoid disrupting operations.",
        ),
    ],
    "meeting": [
        (
            "Site survey",
            "Walked the space with {contact} and {pm}. Took measurements, "
            "photos of rigging points and power. Ceiling is lower than the drawings show.",
        ),
        (
            "Proposal review",
            "Presented the proposal for {deal}. Good reception; they "
            "asked for a phased option and references.",
        ),
        (
            "Discovery workshop",
            "Two hours with events, IT and facilities. Captured must-haves "
            "and nice-to-haves; IT wants the control system on its own VLAN.",
        ),
        (
            "Scope review with {pm}",
            "Went through scope line by line. {pm} flagged the lead "
            "time on the LED panels (8–10 weeks) as the schedule risk.",
        ),
    ],
    "email": [
        (
            "Sent proposal for {deal}",
            "Attached the proposal and budget range. Asked for feedback by the end of next week.",
        ),
        (
            "Re: drawings and room list",
            "{contact} sent the reflected ceiling plans. Forwarded to {pm} for the estimate.",
        ),
        (
            "Re: payment terms",
            "{contact} asked for net 45 and a smaller deposit. Told them "
            "we can do 30% deposit with the balance on acceptance.",
        ),
        (
            "Thank-you note after the event",
            "Thanked {contact} for a smooth show; asked about next year's dates.",
        ),
    ],
    "note": [
        (
            "Competitive situation",
            "They have a second bid from a regional integrator. We "
            "are stronger on service; weaker on price.",
        ),
        (
            "Budget intel",
            "Heard from {contact} that the capital budget for next year was "
            "approved with room for {deal}.",
        ),
        (
            "Delivery feedback",
            "{pm} says the last install went well; the customer praised "
            "the crew's clean-up. Good moment to ask for a referral.",
        ),
        (
            "Account planning",
            "Three projects likely at {account} over the next 18 months. "
            "Build the relationship with finance before the first one lands.",
        ),
    ],
}

# Account-level activities, not tied to a deal: (kind, subject, body).
ACCOUNT_TEMPLATES = [
    (
        "meeting",
        "Quarterly business review",
        "Reviewed last quarter's service tickets with "
        "{contact}. Two projector failures, both fixed same day. They asked about next year's "
        "plans for the main hall.",
    ),
    (
        "call",
        "Relationship call with {contact}",
        "General catch-up. New leadership is settling "
        "in; events calendar for next year is busier than this one.",
    ),
    (
        "note",
        "Met {contact} at InfoComm",
        "Stopped by our booth. Interested in LED for their "
        "main room but no budget until the next fiscal year.",
    ),
    (
        "email",
        "Holiday card and calendar",
        "Sent our holiday card and asked {contact} for their event calendar for the new year.",
    ),
    (
        "note",
        "Service history",
        "Three service calls this year, all closed within SLA. "
        "Customer mood is good; {pm} says the on-site team knows us well.",
    ),
    (
        "meeting",
        "Lunch with {contact}",
        "Talked about their five-year facilities plan. An "
        "auditorium renovation is on the list for the year after next.",
    ),
]
