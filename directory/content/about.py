"""The "About ketamine therapy" page as data: every sentence of fact carries its source.

The facts come from the team's shared reference list of facts and were re-read, in stored
copies of unknown age, on 26 November 2026 (the same reading as the dataset). They are written
in our own words and kept conservative: what a regulator, a label or a named service says,
attributed to it. ``published`` is the date the page itself shows, never a guess; None means
it shows none. A test checks that every fact has an http(s) source and a reading date.
"""

from __future__ import annotations

from dataclasses import dataclass

READ_ON = "2026-11-26"


@dataclass(frozen=True)
class Citation:
    """A page a fact comes from."""

    url: str
    title: str
    publisher: str
    published: str | None = None
    retrieved: str = READ_ON
    note: str | None = None


@dataclass(frozen=True)
class Fact:
    """One sentence of fact and where it comes from."""

    text: str
    source: Citation


@dataclass(frozen=True)
class Section:
    """A heading, an optional lead-in of our own (no facts), and the facts."""

    id: str
    heading: str
    facts: tuple[Fact, ...]
    lead: str | None = None


OXFORD_FAQ = Citation(
    url="https://www.oxfordhealth.nhs.uk/ips/ketamine-trd/faq/",
    title="FAQ - Ketamine service for treatment-resistant depression",
    publisher="Oxford Health NHS Foundation Trust",
    note="The page shows no date; the site's data records a change on 29 April 2026.",
)
OXFORD_ASSESSMENT = Citation(
    url="https://www.oxfordhealth.nhs.uk/ips/ketamine-trd/assessment/",
    title="Assessment - Ketamine service for treatment-resistant depression",
    publisher="Oxford Health NHS Foundation Trust",
)
OXFORD_SERVICE_ASSESSMENT = Citation(
    url="https://www.oxfordhealth.nhs.uk/ketamine-service/assessment/",
    title="Ketamine treatment service - assessment",
    publisher="Oxford Health NHS Foundation Trust",
)
OXFORD_SERVICE_FAQ = Citation(
    url="https://www.oxfordhealth.nhs.uk/ketamine-service/faq/",
    title="Ketamine treatment service - common questions",
    publisher="Oxford Health NHS Foundation Trust",
)
OXFORD_WHAT_IS_INVOLVED = Citation(
    url="https://www.oxfordhealth.nhs.uk/ketamine/treatment/what-is-involved/",
    title="What treatment involves",
    publisher="Oxford Health NHS Foundation Trust",
    published="2018-10-29",
    note="The date is the page's “last updated” date.",
)
OXFORD_PRICING = Citation(
    url="https://www.oxfordhealth.nhs.uk/ips/ketamine-trd/pricing/",
    title="Pricing - Ketamine service for treatment-resistant depression",
    publisher="Oxford Health NHS Foundation Trust",
)
ASKP_CLINIC = Citation(
    url="https://www.askp.org/patients/what-to-look-for-in-a-clinic/",
    title="What to Look for in a Ketamine Clinic",
    publisher="American Society of Ketamine Physicians, Psychotherapists & Practitioners (ASKP3)",
)
APA_CONSENSUS = Citation(
    url="https://jamanetwork.com/journals/jamapsychiatry/article-abstract/2605202",
    title=(
        "A Consensus Statement on the Use of Ketamine in the Treatment of Mood Disorders "
        "(Sanacora et al., JAMA Psychiatry 2017;74(4):399-405)"
    ),
    publisher="JAMA Psychiatry",
    published="2017",
    note="Read from the article's abstract.",
)
FDA_REMS = Citation(
    url=(
        "https://www.accessdata.fda.gov/scripts/cder/rems/index.cfm"
        "?event=IndvRemsDetails.page&REMS=386"
    ),
    title="Approved Risk Evaluation and Mitigation Strategies (REMS): Spravato (esketamine)",
    publisher="US Food and Drug Administration",
    published="2024-12-31",
    note="The date is the “REMS last update” the page shows.",
)
FDA_COMPOUNDED = Citation(
    url=(
        "https://lexichronic.com/letter-10-october-fda-warns-patients-and-health-care-providers"
        "-about-potential-risks-associated-with-compounded-ketamine-products-including-oral-"
        "formulations-for-the-treatment-of-psychiatric-disord/"
    ),
    title=(
        "FDA warns patients and health care providers about potential risks associated with "
        "compounded ketamine products, including oral formulations"
    ),
    publisher="Lexichronic (reproducing the FDA's statement)",
    note=(
        "Secondary source reproducing the FDA statement dated 10 October 2023; "
        "not yet checked against fda.gov."
    ),
)
NAMI_SPRAVATO = Citation(
    url=(
        "https://www.nami.org/About-Mental-Illness/Research/Research-News/2019/"
        "FDA-Approves-Esketamine-Nasal-Spray-for-Treatment-Resistant-Depression"
    ),
    title="FDA Approves Esketamine Nasal Spray for Treatment-Resistant Depression",
    publisher="NAMI",
    published="2019-03-05",
    note="Secondary source reporting the FDA's approval.",
)
NICE_TA854 = Citation(
    url="https://www.nice.org.uk/guidance/ta854/chapter/1-Recommendations",
    title="Esketamine nasal spray for treatment-resistant depression (TA854): Recommendations",
    publisher="NICE",
    published="December 2022",
    note="The exact day is not shown in the copy read.",
)
PBS_SPRAVATO = Citation(
    url="https://www.pharmacydaily.com.au/news/pbs-nasal-antidepressant/114724",
    title="PBS listing of esketamine nasal spray",
    publisher="Pharmacy Daily",
    published="2025-04-28",
    note="Secondary source (issue of 28 April 2025); not yet checked against the PBS Schedule.",
)
YNHH_ARTICLE = Citation(
    url="https://www.ynhh.org/articles/what-to-know-about-ketamine",
    title="What to know about ketamine",
    publisher="Yale New Haven Health",
    published="2025-05-30",
)
YNHH_SERVICE = Citation(
    url="https://www.ynhh.org/psychiatric/services/specialized-services/esketamine-ketamine",
    title="Esketamine and Ketamine Therapy",
    publisher="Yale New Haven Psychiatric Hospital",
)
SPRAVATO_DOSING = Citation(
    url="https://www.spravatohcp.com/dosing-spravato-trd",
    title="Dosing - SPRAVATO for treatment-resistant depression (for healthcare professionals)",
    publisher="Janssen (the manufacturer)",
    note="Summarises the US prescribing information.",
)
SPRAVATO_SAFETY = Citation(
    url="https://www.usmedicine.com/2021online-dir/inc/html/30.html",
    title="SPRAVATO Important Safety Information (reprint)",
    publisher="U.S. Medicine",
    note="Secondary: a reprint of the label's safety information.",
)

SECTIONS: tuple[Section, ...] = (
    Section(
        id="what-it-is",
        heading="What ketamine therapy is",
        facts=(
            Fact(
                "In the UK, ketamine is licensed as an anaesthetic and for pain relief; for "
                "depression it is used “off-label”, outside its licence.",
                OXFORD_FAQ,
            ),
            Fact(
                "In the US, ketamine is approved as an anaesthetic but the FDA has not approved "
                "it for any psychiatric condition.",
                FDA_COMPOUNDED,
            ),
            Fact(
                "Esketamine, a form of ketamine, is sold as a nasal spray called Spravato. The "
                "FDA approved it on 5 March 2019 for adults with treatment-resistant depression, "
                "taken together with an oral antidepressant.",
                NAMI_SPRAVATO,
            ),
        ),
    ),
    Section(
        id="choosing",
        heading="How to choose a provider",
        lead="Questions worth asking before you book:",
        facts=(
            Fact(
                "ASKP3, a US society of ketamine clinicians, suggests asking how long a clinic "
                "has been open, how much experience its clinicians have with ketamine for mood "
                "disorders, how it handles emergencies, and how patients are watched during and "
                "after treatment.",
                ASKP_CLINIC,
            ),
            Fact(
                "It also suggests a calm clinic with a private room, and a physician "
                "board-certified in a related specialty such as anaesthesia, emergency medicine, "
                "internal medicine or psychiatry.",
                ASKP_CLINIC,
            ),
            Fact(
                "In the US, Spravato may only be given in healthcare settings certified under an "
                "FDA safety programme (REMS) with a prescriber on site; patients take it under "
                "direct observation and are never given it to take home.",
                FDA_REMS,
            ),
            Fact(
                "A 2017 consensus statement by an American Psychiatric Association task force "
                "notes that the evidence comes from small studies with little long-term data on "
                "effectiveness and safety, and asks clinicians to weigh those limits and the "
                "drug's risks.",
                APA_CONSENSUS,
            ),
        ),
    ),
    Section(
        id="screening",
        heading="Typical screening",
        facts=(
            Fact(
                "Oxford Health's self-pay ketamine service, run by an NHS trust, asks for a "
                "referral letter from a GP or psychiatrist and a GP summary of medication, "
                "hospital admissions and physical illnesses before it offers an assessment.",
                OXFORD_ASSESSMENT,
            ),
            Fact(
                "A consultant psychiatrist then assesses each patient to confirm that the "
                "treatment is suitable.",
                OXFORD_SERVICE_ASSESSMENT,
            ),
            Fact(
                "Yale New Haven Health says patients need an evaluation first, and that people "
                "at high cardiac risk may need extra medical clearance.",
                YNHH_ARTICLE,
            ),
            Fact(
                "Spravato's US safety information says it must not be used by people with "
                "aneurysmal blood-vessel disease or an arteriovenous malformation, a history of "
                "bleeding in the brain, or an allergy to esketamine, ketamine or the spray's "
                "other ingredients.",
                SPRAVATO_SAFETY,
            ),
        ),
    ),
    Section(
        id="initial-series",
        heading="A typical initial series",
        lead="Schedules differ between clinics and treatments; ask a provider for its plan.",
        facts=(
            Fact(
                "At Oxford Health's service, initial treatment is three ketamine infusions over "
                "three weeks.",
                OXFORD_SERVICE_ASSESSMENT,
            ),
            Fact(
                "There, a low dose is given into a vein by a pump over 40 minutes, with a nurse "
                "present in the clinic throughout.",
                OXFORD_WHAT_IS_INVOLVED,
            ),
            Fact(
                "The dose is worked out from body weight, at 0.5 mg per kg, and reviewed before "
                "each treatment.",
                OXFORD_SERVICE_FAQ,
            ),
            Fact(
                "Spravato is usually taken twice a week for the first month, then once a week in "
                "the second month for people who respond well; after that the schedule depends "
                "on the response.",
                YNHH_SERVICE,
            ),
        ),
    ),
    Section(
        id="costs",
        heading="Costs",
        lead=(
            "Prices differ widely between countries, treatments and clinics. This directory "
            "shows each price with its source and the date it applies to: treat prices as leads "
            "to check with the provider, not as quotes."
        ),
        facts=(
            Fact(
                "Oxford Health's self-pay service lists £225 for the first psychiatrist "
                "assessment, £225 for each IV ketamine infusion, and £551 (56 mg) or £714 (84 mg) "
                "for each Spravato dose.",
                OXFORD_PRICING,
            ),
            Fact(
                "In England, NICE did not recommend Spravato for treatment-resistant depression "
                "on the NHS.",
                NICE_TA854,
            ),
            Fact(
                "In Australia, Spravato has been subsidised on the PBS since 1 May 2025; at "
                "listing the patient charge was reported as A$31.60 per dose (A$7.70 with a "
                "concession card), with clinic fees on top.",
                PBS_SPRAVATO,
            ),
        ),
    ),
    Section(
        id="safety",
        heading="Safety and monitoring",
        facts=(
            Fact(
                "Spravato's US prescribing information says a healthcare provider must observe "
                "the patient for at least two hours after each dose, and blood pressure should be "
                "checked before the dose and about 40 minutes after it.",
                SPRAVATO_DOSING,
            ),
            Fact(
                "Patients should not drive or operate machinery until the next day, after a "
                "restful sleep, so they need a ride home.",
                SPRAVATO_DOSING,
            ),
            Fact(
                "In October 2023 the FDA warned patients and clinicians about compounded "
                "ketamine products, including oral forms taken at home without monitoring by a "
                "healthcare provider.",
                FDA_COMPOUNDED,
            ),
        ),
    ),
)
