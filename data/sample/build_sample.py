#!/usr/bin/env python3
"""Build the synthetic nDelius case-note sample (stdlib only, deterministic).

Writes, next to this script:
  contacts.csv    one row per contact (crn, contact_id, contact_date, contact_type,
                  notes, author, office)
  cases.csv       one row per case (crn, rosh, service, team, officer, registers)
  gold_gaps.csv   the gaps each case SHOULD raise under SPEC section 4
  README.md       what each case tests (generated from the case scripts below)

Every case is scripted by hand: its key notes (the triggers and the responses)
are written out below; routine notes are drawn from a pool of handwritten,
deliberately neutral notes (no children, partners, substances, aggression,
agencies, reviews...) so that they never trigger or close a gap by accident.
A validation pass at the end re-checks the parts of the gold file that can be
computed (CONTACT_BELOW_RISK_LEVEL, the neutrality of the routine pool, CRNs).

Run:  python3 build_sample.py
"""

import csv
import datetime as dt
import os
import random
import re
import sys

SEED = 20240917
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------------------
# Policy used to design CONTACT_BELOW_RISK_LEVEL (as given in the brief)
# ---------------------------------------------------------------------------
COMPLETED_CODES = {"COAI", "COAP", "COPT", "COVC", "COUP", "CTOA", "CTOB",
                   "CHVS", "COHV", "CODC", "C253", "IOHV"}
COMPLETED_DESCRIPTIONS = {
    "Planned Office Visit (NS)", "Planned Telephone Contact (NS)",
    "Home Visit to Case (NS)", "Initial Appointment - In office (NS)",
}
NON_ATTENDANCE = re.compile(
    r"\bFTA\b|did not attend|didn'?t attend|no answer|not seen|attempted|"
    r"cancell?ed|rearranged|failed to attend|\bDNA\b", re.I)
MAX_INTERVAL = {"low": 28, "medium": 14, "high": 7, "very high": 7}


def is_completed(ctype, note):
    ok_type = ctype in COMPLETED_CODES or ctype in COMPLETED_DESCRIPTIONS
    return ok_type and not NON_ATTENDANCE.search(note or "")


# ---------------------------------------------------------------------------
# Routine note pool (handwritten). Tags:
#   o  adult office contact       p  adult phone/video contact
#   a  adult admin (not a contact with the person)
#   f  adult non-attendance (completed-type code, but the note records FTA etc.)
#   yo youth office/community contact  yp youth phone contact with the child
#   ya youth admin / reparation (not a contact with the case manager)
# An entry is (tag, text) or (tag, text, fixed_contact_type).
# ---------------------------------------------------------------------------
ROUTINE = [
    # ---- adult office -----------------------------------------------------
    ("o", "Seen in office. PoP presented well, on time. Discussed UPW - completed 6hrs Sat at the charity shop site. No issues raised. Next appt 2 wks"),
    ("o", "RAR session - consequential thinking worksheet. PoP engaged well, could identify triggers for the offence (boredom, money). Homework set"),
    ("o", "seen. nothing new. job search continuing, applied for 3 warehouse jobs on indeed. next appt booked"),
    ("o", "PoP attended. Discussed finances - UC payment £368 after deductions, struggling with gas/elec. Gave food bank voucher (Trussell). Signposted to Citizens Advice re debt"),
    ("o", "Seen for supervision.\n\nETE: started CSCS card course at Leeds City College, 2 days a wk\nAccommodation: stable\nFinances: ok\n\nNext appt 2 weeks"),
    ("o", "PoP in good spirits, has got a start at a car wash cash in hand - advised him to declare it to UC. He wasnt keen. Discussed honesty and what happens if UC find out"),
    ("o", "RAR - values and goals. PoP identified 'being a better person' and 'getting my own place' as goals. Good discussion."),
    ("o", "SEEN. UPW HOURS 42/100 COMPLETED. NO ISSUES."),
    ("o", "Attended on time. Brief session as I was covering duty. Confirmed address and phone no. unchanged. Next appt as planned"),
    ("o", "PoP talked about his dad's funeral next wk, he's helping his nan organise it. Offered condolences, asked if he wanted a different day for his next appt, he said no"),
    ("o", "Session on problem solving - used the STOP & THINK sheet. PoP struggled a bit with reading so read it through with him. Might benefit from a literacy assessment"),
    ("o", "PoP got his CSCS card through the post, well chuffed. Showed me on his phone. Looking at labouring jobs now"),
    ("o", "Reporting. PoP says all ok, working 30hrs a week at Amazon now (nights). Agreed appts on his days off (Tues)."),
    ("o", "supervision - talked thru budgeting, he's behind on rent by £200, agreed a payment plan with his landlord. Positive"),
    ("o", "Completed 'Who am I' worksheet. PoP reflective. Says he's done with offending, \"too old for it now\"."),
    ("o", "PoP attended with a bad cold, kept it brief. Nothing to report."),
    ("o", "Discussed UPW - he's been put on the Tuesday painting group at the community centre. Likes it better than litter picking"),
    ("o", "Seen. PoP asked about early termination of the order. Explained the process & that its not automatic, good progress would support an application later on"),
    ("o", "Attended. Talked about his football, plays Sunday league for a team in Armley. Good pro-social activity, encouraged"),
    ("o", "Session focused on ETE - updated CV with PoP, added his forklift licence. Printed 3 copies for him."),
    ("o", "Seen on time, appropriate. discussed his plans for christmas - going to his sisters in Castleford. no concerns"),
    ("o", "Structured session - 'thinking about thinking' module 2. PoP engaged but quite quiet today, said he was just tired from work"),
    ("o", "PoP came in with his mum as she gave him a lift. Mum waited in reception. Session as normal, ETE and money."),
    ("o", "Discussed travel as he wasnt sure about it. Explained he needs permission to go abroad, he wants to go to Spain next year. Will need to put it in writing"),
    ("o", "Reported as required. Brief catch up. Started volunteering at the charity shop on Briggate Weds mornings"),
    ("o", "PoP presented as tired, working long hrs. Praised for keeping his appointments despite the shifts"),
    ("o", "Completed RAR session on peer influence. PoP acknowledges the people he was with at the time of the offence were 'bad news', says he has cut contact."),
    ("o", "seen, all fine, pay slip seen (Greggs, 24hrs). next appt 2/52"),
    ("o", "Appt in interview room 3. Talked about what a good week looks like for him. Identified gym, work, seeing his nan. Set small goals"),
    ("o", "Discussed fine payments, he's paying £5 a week off his outstanding fines by deduction. Fine."),
    ("o", "PoP showed me his new provisional driving licence. Saving for lessons. Good motivation."),
    ("o", "Session cut a bit short as PoP had a job interview at 3pm (B&Q Hunslet). Wished him luck."),
    ("o", "Seen. B&Q - didnt get it. Disappointed but says he'll keep going. Looked at other vacancies together"),
    ("o", "Consequential thinking part 2. Used a recent example - being short of money at the end of the month and what his options were"),
    ("o", "Office appt. PoP doing well. Nothing of note."),
    ("o", "ETE - enrolled on Level 1 maths at the central library, starts next month"),
    ("o", "Seen. Talked about moving out of his mums eventually - saving for a deposit, £40 a week."),
    ("o", "supervision. pop ok. worked on 'my future self' letter. will bring it back finished next time"),
    ("o", "PoP brought finished 'future self' letter. Read it together, quite moving actually. Copy scanned to file."),
    ("o", "Discussed online activity - PoP uses Facebook and TikTok. Reminded him not to post anything about the offence."),
    ("o", "Seen - talked about sleep, he works nights and struggles. Gave sleep hygiene leaflet."),
    ("o", "Brief office appt. PoP asked for a letter confirming his appts for his employer. Done and handed over."),
    ("o", "RAR - managing emotions module. Worked through body signals / early signs. PoP said he goes quiet and walks off rather than shouting. Good insight"),
    ("o", "UPW update given to PoP: 68 hrs done. Supervisor feedback good, \"a grafter\"."),
    ("o", "Seen. PoP moved bedsit within same building (flat 2 to flat 5). Address updated on Delius."),
    ("o", "Talked about family - his dad has COPD, PoP doing his shopping twice a week. Positive role."),
    ("o", "Routine reporting appt. Discussed weekend plans - going fishing at Pugneys with his uncle."),
    ("o", "PoP late by 10 mins (bus). Seen. Covered ETE and finance. All stable."),
    ("o", "Session: 'thinking errors' - PoP identified 'its not my fault' thinking around the offence. Good reflection"),
    ("o", "seen for 20 mins. pop chatty. no change in circs"),
    ("o", "Discussed completion - 6 wks left on the order. PoP proud of himself. Talked about what support he can access after."),
    ("o", "PoP has started a level 2 food hygiene course online. Wants to work in a kitchen."),
    ("o", "RAR session: 'Choices and consequences' video and discussion. PoP engaged, asked good questions"),
    ("o", "Seen. Still in his work clothes, came straight from site. Kept it brief. Hours confirmed on payslip."),
    ("o", "Talked about his faith - he's started going to the mosque with his cousin on Fridays, says it helps him stay calm and focused."),
    ("o", "PoP presented well. Reports no changes. Appt card given."),
    ("o", "Seen - ID documents: PoP has applied for a copy of his birth certificate so he can open a bank account. Paid £11."),
    ("o", "PoP opened a bank account (Monzo). Wages can go in there now. Good."),
    ("o", "Discussed the anniversary of his brothers death next week - he usually goes to the grave with his mum. Checked he has people around him, he says yes"),
    ("o", "Seen. Short session. PoP asked for bus fare - travel warrant provided for UPW as per policy."),
    ("o", "ALL OK, NO CHANGES. NEXT APPT CONFIRMED"),
    ("o", "PoP attended in a good mood, has passed his probation period at work (\"the other kind of probation\" he joked)."),
    ("o", "Worked on his 'good lives' plan - what he wants from work, leisure, friendships. Wrote it up together"),
    ("o", "PoP bored of UPW, moaned about the Saturday group. Reminded him of hours left (22) and that it's a requirement. He'll crack on."),
    ("o", "Discussed his new shift pattern (4 on 4 off), future appts planned around it."),
    ("o", "Seen at 09:30. He'd done a night shift and was shattered. Quick check in only."),
    ("o", "PoP said he'd like to do a first aid course. Signposted to the free St John Ambulance session."),
    ("o", "seen pop, spoke abt his job at the carwash, all ok, said hes saving for a holiday in Majorca with his mates in Aug - reminded abt travel & needing permission"),
    ("o", "Supervision\n- ETE: still at the warehouse, offered a perm contract\n- Money: ok, no arrears\n- Health: fine\n- Next: 2 wks"),
    ("o", "Seen. Spent the session on the 'problem solving' steps, with his work rota as the example. He got it quicker than last time."),
    ("o", "Attended - had his hair cut short, looked well. Says hes been going to the gym 4x a week. No change in circumstances"),
    ("o", "Discussed PoP's goal of getting his HGV licence. Looked at costs (£3k+) and the funded routes. He's going to look into the bootcamp option"),
    ("o", "PoP chatty today, talked a lot about the darts on TV. Settled, no issues. Reminded him next appt is at 2pm not 10am"),
    ("o", "OFFICE VISIT - PoP reports everything is 'same old'. Working, paying his bills. Next appt confirmed"),
    ("o", "RAR: completed session 4 of the 'Building skills' pack (goals). He wants to be working full time by the end of the order."),
    ("o", "Seen. Talked about loneliness since moving flats, doesnt know anyone in the area. Suggested the community allotment group and the library social on Thursdays."),
    ("o", "Seen briefly - he had his nan with him in the car outside. Confirmed he's still at the same address, still working. Next appt booked"),
    ("o", "Good session. PoP brought in his maths certificate (level 1 - passed). Really proud. Talked about doing English next"),
    ("o", "Seen. He asked about getting his record expunged - explained spent convictions and the rehabilitation periods. Gave him the Unlock website"),
    ("o", "Appt - PoP said he'd lost his bank card, sorted a replacement on his phone in the appt. Otherwise nothing new"),
    # ---- adult phone / video ----------------------------------------------
    ("p", "Tel contact with PoP. Confirmed he's working today so phone appt agreed in advance. All ok."),
    ("p", "Phone appt - PoP at work, spoke for 10 mins on his break. No issues"),
    ("p", "Planned tel call. PoP answered first time. Discussed UPW hours and his week. Next appt office"),
    ("p", "telephone supervision, pop says all good, nothing new to report"),
    ("p", "Phoned PoP as agreed (he's got covid). Sounded rough. Will see in office once better."),
    ("p", "Tel - PoP rang to confirm next weeks appt time. Also told me he has started at the new job (Asda, nights).", "CTOA"),
    ("p", "Phone call. Discussed the CSCS course - he's passed module 1."),
    ("p", "PoP rang in, got a job interview tomorrow, asked for a reference letter from me - explained I can confirm attendance only. Letter emailed", "CTOA"),
    ("p", "Telephone contact: short call, PoP on the bus. Confirmed address unchanged, wellbeing ok"),
    ("p", "TEL - CHECK IN. FINE. NEXT APPT OFFICE 2/52"),
    ("p", "Phone appt per agreement. PoP talked about his UPW - nearly finished. Pleased with himself"),
    ("p", "Call with PoP, he's away in Skegness with his mum for a few days (UK, permission not needed). Having a nice time"),
    ("p", "Telephone contact. PoP quieter than usual, says he's just tired with work. Will see in person next week"),
    ("p", "Phoned. Updated on his finances - caught up with the rent arrears now."),
    ("p", "Video call via Teams (PoP's request due to shifts). Good connection. Covered ETE and weekend plans", "COVC"),
    ("p", "Tel. PoP asked whether his order ends on the 14th or 15th - checked and confirmed."),
    ("p", "Phone supervision \u2014 talked through his budget for the month, he's doing well"),
    ("p", "rang pop as planned. he was at the gym, spoke for 5 mins, all fine", "CTOB"),
    ("p", "PoP called in (unplanned) to say hes got a new phone number 07700 900183. Updated.", "CTOA"),
    ("p", "Planned phone contact. Discussed his dad's health, he's been taking him to his hospital appts. Coping fine"),
    ("p", "Phone appt. Short, he was on a break at work. Confirmed next office appt."),
    # ---- adult admin (not contacts with the person) ------------------------
    ("a", "Appointment letter sent for next appt."),
    ("a", "Case notes updated. UPW hours report received from UPW team: 54/100 completed."),
    ("a", "Text reminder sent re appt tomorrow 10am"),
    ("a", "Travel warrant issued for UPW."),
    ("a", "Letter to PoP confirming change of appointment day to Tuesdays"),
    ("a", "Induction pack scanned to file."),
    ("a", "Payslips provided by PoP scanned to documents."),
    ("a", "Email from UPW team: PoP moved to the Saturday group from next week."),
    ("a", "Certificate of completion (Level 1 maths) scanned"),
    ("a", "Admin: address on Delius corrected (postcode typo)."),
    ("a", "Unpaid work hours updated - 12 hrs credited for ETE (Level 2 course) as agreed."),
    ("a", "Diary: next 3 appts booked and letter sent."),
    ("a", "Copy of birth certificate received, scanned for ID"),
    ("a", "Sentence expiry date checked against court order - correct on system."),
    ("a", "TEXT SENT - APPT REMINDER"),
    # ---- adult non-attendance (completed-type code, note records FTA) -----
    ("f", "FTA. No contact from PoP. Text sent asking him to ring in."),
    ("f", "Did not attend. Rang PoP - no answer. Letter sent with new appt."),
    ("f", "FTA - PoP rang at 3pm, said he slept in. New appt given for Thurs."),
    ("f", "Not seen - PoP rang to say he had no bus fare, appt moved to Thurs"),
    ("f", "Appt cancelled by PoP, working a shift. Payslip to be brought in. New appt Thurs"),
    ("f", "PoP did not attend, no contact. Will follow up."),
    ("f", "Tel appt attempted x2, no answer. Text sent.", "COPT"),
    ("f", "Appt rearranged at PoP request (dentist) - evidence to be provided"),
    # ---- youth office / community ------------------------------------------
    ("yo", "Seen the child at the YJS office with mum. Session on consequences - used the 'ripple effect' worksheet. He engaged well for about 30 mins, then lost focus."),
    ("yo", "Met the child at McDonalds in town (agreed venue) - talked about his week, football, his Xbox. Rapport building."),
    ("yo", "Session: identity and belonging. The child drew a 'map' of the people important to him - mum, nan, his mates from boxing."),
    ("yo", "Saw the child. He's started boxing at the club on Roundhay Rd twice a week, coach says he's a natural. Really positive"),
    ("yo", "the child attended with dad. talked about college options for Sept - he likes the idea of motor vehicle. Printed the course info"),
    ("yo", "Session on peer pressure - role plays. He found it 'cringe' but joined in."),
    ("yo", "Seen the child. Quiet today, said mum's been nagging him about the state of his room. Normal teenage stuff. Otherwise ok."),
    ("yo", "Session with the child on money - budgeting his part-time wages. He wants to save for a moped"),
    ("yo", "The child completed his letter of apology. Good effort, a few spelling errors, he was proud of it."),
    ("yo", "Seen at YJS. Talked about what he wants to do when he's 18. Wants to be a mechanic like his uncle."),
    ("yo", "Music session with YJS worker (Jay) - he wrote some bars about his life. Good engagement."),
    ("yo", "Brief session, the child had a dentist appt after. Checked in on his week. Fine."),
    ("yo", "Seen the child with mum. Mum says he's been helping around the house more and is home by the time agreed."),
    ("yo", "Session: thinking about other people's perspectives - 'walk in their shoes' exercise. Some good answers"),
    ("yo", "The child came on his own for the first time (got the bus). Good independence. Talked about his plans for the summer."),
    ("yo", "Session on online safety - talked about what he posts on Snapchat. He knows not to post about the offence."),
    ("yo", "Seen with nan. The child cheerful. Says the college taster day went well."),
    ("yo", "Worked on his CV for a Saturday job. He wants to apply at JD Sports."),
    ("yo", "Session: emotions and body signals. He said he feels it 'in his chest' when stressed. Practised breathing techniques"),
    ("yo", "YJS office. Played pool and talked - more relaxed approach today as he was tired. He reported no issues at home."),
    ("yo", "Seen the child. Got the Saturday job at the car wash!! Really pleased for him."),
    ("yo", "Session on basic first aid with YJS volunteer - he liked the CPR bit."),
    ("yo", "the child seen, ok, talked abt the match (Leeds lost), boxing, college. nothing of concern"),
    ("yo", "Session at YJS: 'My goals' worksheet. Goals = get a job, pass his CSCS, get a moped. Realistic plan made"),
    ("yo", "SEEN THE CHILD AT YJS. GOOD SESSION. TALKED ABOUT HIS WEEKEND AT HIS NANS."),
    # ---- youth phone with the child ---------------------------------------
    ("yp", "Tel call with the child - he's got a cold, agreed a phone check in instead. Chatted for 10 mins."),
    ("yp", "Phone contact with the child. Short but positive. Next session at YJS Tues."),
    ("yp", "Telephone check-in with the child. He's at his nans for the weekend, all ok."),
    ("yp", "Called the child as agreed, he was on his way to boxing. All fine, next session Thurs"),
    # ---- youth admin / reparation -----------------------------------------
    ("ya", "Phoned mum to confirm appt time for Thurs. Mum says the child is doing well at home."),
    ("ya", "Reparation session completed at Kirkstall Abbey gardens (3 hrs). Supervisor said he worked hard."),
    ("ya", "Reparation: litter pick at Woodhouse Moor, 2hrs. On time, worked well."),
    ("ya", "Appt letter sent to the child and mum"),
    ("ya", "Reparation hours updated on the system: 4 of 6 completed."),
]

ROUTINE_TYPES = {
    "o": [("COAP", 70), ("Planned Office Visit (NS)", 12), ("COUP", 5)],
    "p": [("COPT", 70), ("Planned Telephone Contact (NS)", 15), ("CTOB", 10)],
    "a": [("", 60), ("Other Contact", 40)],
    "f": [("COAP", 100)],
    "yo": [("COAP", 80), ("Planned Office Visit (NS)", 20)],
    "yp": [("COPT", 100)],
    "ya": [("Other Contact", 60), ("", 40)],
}

# Words that must never occur in a routine note: they could trigger or close a
# gap by accident. (The key notes carry those on purpose.)
FORBIDDEN = re.compile(
    r"\b(child|children|kids?|son|daughter|baby|pregnan\w*|partner|gf|girlfriend|boyfriend|"
    r"wife|husband|ex|relationship|DV|DA|domestic|drugs?|alcohol|drink\w*|cannabis|weed|cocaine|"
    r"heroin|gear|using|tests?|aggress\w*|angry|threat\w*|fight\w*|assault\w*|knife|weapon|police|"
    r"arrest\w*|charged?|breach\w*|warning|recall\w*|self.harm|suicid\w*|dead|overdose|"
    r"social worker|SW|CSC|CMHT|GP|mental health|support worker|housing|hostel|IOM|CGL|"
    r"review\w*|OASys|RoSH|risk|SPO|manager|transfer\w*|realloc\w*|home visit|HV|victim|"
    r"restraining|non.molestation|exclusion|MASH|safeguard\w*|kicked off|squared)\b", re.I)


# ---------------------------------------------------------------------------
# Case scripts
# ---------------------------------------------------------------------------
def K(day, ctype, text, author=None, time=None, office=None):
    return {"day": day, "type": ctype, "text": text, "author": author,
            "time": time, "office": office}


ADULT_DUTY = ["Duty - K Lewis", "Duty - A Mahmood", "Duty - R Fenwick", "Duty - S Bibi"]
ADULT_ADMIN = ["Admin - P Shah", "Admin - L Dodds", "CA - M Rowe"]
YOUTH_DUTY = ["YJS Duty - C Hart", "YJS Duty - N Begum"]
YOUTH_ADMIN = ["YJS Admin - D Flynn"]

MAPPA_MINUTES = """MAPPA LEVEL 2 MEETING - MINUTES (pasted from MAPPA document, restricted)
Date: see contact date. Venue: Elland Road Police Station, Room 4 / Teams hybrid
Chair: DCI S Whitaker (WYP Public Protection Unit)
Present: Rachel Ibbotson (OM, Probation), DC Imran Hussain (Police Offender Manager, IOM/MOSOVO), Becky Lane (Social Worker, Leeds CSC, Seacroft Locality), Anne Marie Cross (MAPPA Coordinator, minutes), Gill Stott (IDVA, Leeds Domestic Violence Service), Paul Rennie (Leeds City Council Housing Options)
Apologies: Leeds & York PFT (information provided in advance by email)

1. PURPOSE OF MEETING
To share information and agree a multi-agency risk management plan in respect of the subject, a Category 2 MAPPA nominal managed at Level 2, following information that he has formed a new relationship with a woman who has two young children.

2. INDEX OFFENCE AND PREVIOUS BEHAVIOUR (summary from OM)
Subject was sentenced in 2019 to 7 years for s.18 wounding with intent. The victim was his then partner, who sustained a fractured cheekbone and facial lacerations after being attacked with a glass in the home they shared. Previous convictions include ABH (2016) and criminal damage (2015), both against a previous partner, and a breach of a non-molestation order (2016). Those previous partners are no longer in contact with him and there have been no incidents involving them since 2019. He was released on licence on 02/02 to a one-bed flat in Gipton. RoSH is very high in respect of known adults (intimate partners) and medium to children. Licence conditions include: to notify the OM of any developing intimate relationship; not to contact the index victim; curfew 21:00-07:00 (ended after 4 weeks, now lifted); reside as approved.

3. CURRENT SITUATION
DC Hussain reported that the subject was seen on three occasions between 04/03 and 18/03 with a female identified as Tanya COLE (31) of Seacroft. OM confirmed that on being challenged the subject admitted the relationship, which he says began in early February. He had not notified it in line with his licence condition. Ms Cole has two children, aged 7 and 3, who live with her. The subject has stayed overnight at her address on at least two occasions by his own account.
Police: DA history check complete - Ms Cole has no DA history as victim or perpetrator. A Right to be Told disclosure under the Domestic Violence Disclosure Scheme was authorised and delivered to Ms Cole by DC Hussain and a PCSO on 01/04. Ms Cole was described as shocked but said she would 'take things slowly'. She has been given IDVA details.
CSC: Becky Lane confirmed a strategy discussion took place and a single assessment is under way. The children were previously open to CSC on a Child in Need plan in 2022 (neglect, linked to mother's housing situation), now closed. School reports good attendance and no concerns. The social worker intends to visit weekly during the assessment and has asked to be informed immediately of any change in the subject's address or any incident.
Housing: the subject's tenancy is stable; no rent arrears; no complaints from neighbours.
Health: Leeds & York PFT advised by email that the subject is not open to mental health services. He was seen by the prison mental health in-reach team in 2021 for low mood, discharged.
IDVA: Gill Stott has made contact with Ms Cole and will offer support; Ms Cole has not yet agreed to a MARAC referral as she does not consider herself at risk. The IDVA will complete a DASH if Ms Cole agrees.

4. RISK ASSESSMENT DISCUSSION
The panel agreed the new relationship is an acute risk factor. The subject's previous pattern is of escalating jealousy and control in relationships, followed by serious violence once the relationship is established. There is no current evidence of controlling behaviour towards Ms Cole but it is early. Protective factors: stable accommodation, employment (full time, warehouse), compliance with licence to date (attends weekly, engaged), and the disclosure to Ms Cole. Risk to the children is assessed as indirect (exposure to domestic abuse) at present. Panel agreed RoSH remains very high (known adult).

5. RISK MANAGEMENT PLAN - ACTIONS
5.1 OM to continue weekly reporting, including fortnightly home visits (at least one unannounced). OM to complete an OASys review within 10 days to reflect the new relationship. [OM]
5.2 Police to flag Ms Cole's address for a priority response (marker), and DC Hussain to complete monthly home visits with the OM where possible. [Police]
5.3 CSC to complete the single assessment and share the outcome with probation; social worker and OM to hold a joint meeting with Ms Cole. [CSC / OM]
5.4 IDVA to continue to offer support to Ms Cole; to refer to MARAC if any incident or if risk escalates. [IDVA]
5.5 OM to explore the Building Better Relationships programme with the subject and discuss with the treatment manager. [OM]
5.6 Any incident, non-compliance or intelligence suggesting controlling behaviour to be shared within 24 hours; OM to consider recall with SPO. [All]

6. CONTINGENCY
If the subject fails to report, is reported to have been violent or threatening, or breaches the licence condition on relationships, the OM will discuss recall with the SPO the same day and police will conduct an urgent welfare check at Ms Cole's address.

7. NEXT MEETING
In 8 weeks, or sooner if there is a significant change. Chair to circulate the minutes within 5 working days.
Minutes agreed as accurate by the chair."""

CASES = []


def case(**kw):
    kw.setdefault("windows", [])
    kw.setdefault("registers", "")
    kw.setdefault("fta_rate", 0.06)
    kw.setdefault("admin_rate", 0.22)
    kw.setdefault("traps", "")
    CASES.append(kw)


# 1 ------------------------------------------------------------------------
case(crn="X412337", rosh="medium", service="probation", team="Leeds North 2",
     office="Leeds Merrion House", officers=[(0, "Sarah Okafor")],
     registers="ADVP;RCCO", start="2024-03-04", length=150, interval=(10, 14),
     scenario="DA perpetrator back living with the victim and their 4-year-old son; no checks, no home visit",
     traps="index offence (pre-sentence violence) must not raise AGGRESSION",
     keys=[
         K(0, "COAI", "Induction completed. PoP sentenced 28/02 at Leeds MC for assault by beating (DA) on his partner Jade Whitley - 12m CO, 20 RAR days, 100hrs UPW, BBR requirement.\nPoP is back living with Jade at her flat on Harehills Lane, together 6 yrs, they have a son Tyler who is 4. Says the offence was a one off, they were arguing about money and he pushed her into the door frame. Says they're 'sorted now'.\nExplained requirements, compact signed. Next appt 2 wks"),
         K(14, "COAP", "Discussed index offence, PoP minimises - \"it was a push not a punch\". Talked about what Tyler sees and hears when they argue, PoP says he's usually asleep. Jade works evenings at Morrisons so PoP has Tyler on his own 3 nights a week."),
         K(44, "COAP", "BBR waiting list - told him 3-4 months. PoP asked if he really has to do it as 'me and Jade are fine now'. Explained its a requirement of the order and not optional"),
         K(72, "COPT", "Tel contact - PoP says Tyler has started nursery 3 mornings, Jade back on days. All 'good at home'."),
         K(105, "COAP", "seen. pop says him and jade are saving to move to a 2 bed so tyler can have his own room. BBR start date still not confirmed"),
     ],
     gold=[
         ("CHILD_NO_SAFEGUARDING_CHECK", "son Tyler (4) lives with PoP and partner, PoP cares for him alone 3 nights a week ({d0}, {d14}); no SFGC/SFRR, CSC enquiry or referral anywhere"),
         ("PARTNER_NO_DA_CHECK", "current partner Jade Whitley is the DA index victim ({d0}); no police DA call-out/intelligence check (C369/C515) recorded"),
         ("NO_HOME_VISIT", "DA and a child in the household from induction ({d0}); no home visit completed"),
     ])

# 2 ------------------------------------------------------------------------
case(crn="X508812", rosh="high", service="probation", team="Leeds South 1",
     office="Leeds Merrion House", officers=[(0, "Daniel Achterberg")],
     registers="ADVP;RCCO", start="2023-05-15", length=140, interval=(5, 7),
     scenario="Licence, DA history, lives with partner and her two children; all checks done, home visits completed, weekly contact",
     traps="C369 closed by code only (note just 'sent'); SFGC note 'req'; MASH e-mail pasted with HTML fragments; historic DA with an ex appears in the police reply",
     keys=[
         K(0, "COAI", "INDUCTION (licence)\nReleased HMP Leeds 12/05 after serving half of 3 yrs for ABH. Lives with partner Chelsea Dunn (together since 2021) and her 2 kids Mason (9) and Lily-Mae (6) at 14 Cross Flatts Grove.\n- licence conditions explained + signed\n- weekly reporting Mon 10am\n- DA perp register in place, history of DV with previous partner\nChecks to go in today."),
         K(0, "SFGC", "req"),
         K(1, "C369", "sent"),
         K(9, "C515", "Response rec'd from WYP DA unit: 4 call outs 2018-2020, all re previous partner N.Burke. Nil re Chelsea Dunn. Nil since custody."),
         K(11, "SFRR", "From: Leeds MASH &lt;mash.enquiries@leeds.gov.uk&gt;\nSent: 26 May 2023 10:14\nTo: Achterberg, Daniel\nSubject: RE: Safeguarding enquiry - Mason DUNN / Lily-Mae DUNN<br>\n\nHi Daniel,\n\nThank you for your enquiry. Both children are known to CSC \u2013 a C&F assessment was completed in 2021 following a DA notification re mum\u2019s previous partner (not your PoP). Closed 09/2021, NFA. No current involvement.\n\nPlease re-refer if you have any concerns.<br>\nKind regards<br>\nMASH Business Support"),
         K(14, "Home Visit to Case (NS)", "HV completed with PSO colleague (J Marr). Met Chelsea and both kids briefly, home clean and warm, kids rooms seen. Spoke to Chelsea alone in kitchen - no concerns raised, says he has been 'really good since he got out'. Discussed safety planning, gave DA helpline details + my number.", time="17:30:00"),
         K(30, "C416", "High risk review meeting - case discussed with SPO. Checks back (police/CSC), HV done. RMP reviewed, no changes. Weekly reporting + monthly HV to continue."),
         K(42, "COAP", "Discussed checks with PoP - CSC closed, police info re N.Burke discussed. He accepts the history, says he 'was a different person then'. Talked about what he does now when he feels wound up."),
         K(85, "CHVS", "Unannounced HV 18:30 - PoP in, Chelsea and kids in, tea on. Relaxed atmosphere. No concerns", time="18:30:00"),
     ],
     gold=[])

# 3 ------------------------------------------------------------------------
case(crn="D301945", rosh="medium", service="probation", team="Wakefield OM Team",
     office="Wakefield Burton Street", officers=[(0, "Lauren Bickerdike")],
     start="2024-06-10", length=160, interval=(10, 14),
     scenario="Father with weekend contact with daughter (7); DA check on ex done, SFGC only ever planned",
     traps="planned response ('Will request SFGC re Ava next week') must not close CHILD; ex-partner DA check is done (PARTNER closed)",
     keys=[
         K(0, "COAI", "Induction. 18m CO, 15 RAR, 150 hrs UPW for fraud by abuse of position (took £4k from the tills at his work over 6 months). Has a daughter, Ava, 7 - lives with her mum (his ex Leanne Hurst), he has her every other weekend and Weds for tea. Says him and Leanne split 2 yrs ago, 'amicable'. Lives alone in a 1 bed flat in Beeston."),
         K(2, "C369", "DA check sent re Leanne Hurst (ex-partner) and PoP"),
         K(11, "C515", "Police response: no DA incidents recorded between PoP and Leanne Hurst. Nil markers."),
         K(11, "COAP", "Told PoP police checks came back clear. Will request SFGC re Ava next week, need her DOB - PoP to bring it in."),
         K(25, "COAP", "PoP brought Ava's DOB (14/02/2017) written on the back of a payslip. Noted on file. Rest of session on UPW and finances"),
         K(39, "CHVS", "HV to PoP's address (1 bed flat, Beeston). Tidy. Room set up for Ava when she stays - sofa bed, toys, drawings on the fridge. Nil concerns."),
         K(77, "COAP", "Ava stayed with him for a week of the summer holidays, he took her to Flamingo Land. Showed me photos. Positive."),
     ],
     gold=[
         ("CHILD_NO_SAFEGUARDING_CHECK", "daughter Ava (7) stays with PoP every other weekend ({d0}); SFGC only planned ('Will request SFGC re Ava next week', {d11}), never requested or answered"),
     ])

# 4 ------------------------------------------------------------------------
case(crn="D227610", rosh="low", service="probation", team="Hull West",
     office="Hull Lowgate", officers=[(0, "Gareth Pinder")],
     start="2023-02-06", length=170, interval=(20, 27),
     scenario="Clean low-risk case full of negations",
     traps="'no children', 'not in a relationship', 'denies any DV', 'denies drug use', 'no thoughts of self harm'; sister's husband (other person)",
     keys=[
         K(0, "COAI", "INDUCTION - 12m CO, 80 hrs UPW, 10 RAR for criminal damage (smashed a bus shelter on Anlaby Rd after losing his job, pre-sentence). Lives alone in a bedsit off Spring Bank. Single, not in a relationship, no children. Denies any DV history. Denies drug use and says he doesnt drink since he had pancreatitis in 2021. Compact signed."),
         K(28, "COAP", "Asked as he's been a bit flat since losing his job - he says no thoughts of self harm and never has had. Says hes fine, just skint. Looked at job sites together"),
         K(57, "COPT", "Tel - mentioned his sister's having a hard time, her and her husband are splitting up. PoP not involved, just been round for a brew with her. Otherwise all ok"),
         K(107, "COAP", "Seen. UPW 60/80. No issues. He's got an interview at the docks (Able UK) next week."),
     ],
     gold=[])

# 5 ------------------------------------------------------------------------
case(crn="N774120", rosh="medium", service="probation", team="Sheffield City 3",
     office="Sheffield Castle Gate", officers=[(0, "Hannah Whitlam")],
     start="2024-09-02", length=150, interval=(10, 14),
     scenario="Mentions about other people only: another resident's aggression, brother's arrest, friend's kids, friend using drugs",
     traps="other person: 'another resident was aggressive' (police attended), 'his brother Liam was arrested', 'Dean's kids', mate 'on the gear'; PoP 'denies any use himself'",
     keys=[
         K(0, "COAI", "Induction. 12m CO with 20 RAR for theft from a motor vehicle x3. Lives in a shared house (5 rooms) on Abbeydale Rd, own room. No previous orders."),
         K(30, "COAP", "PoP said another resident at the house was aggressive to the landlord on Saturday, smashed the glass in the front door, police attended. PoP stayed in his room and wasnt involved, says he keeps himself to himself. Landlord's text confirming this shown to me on his phone."),
         K(58, "COAP", "His brother Liam was arrested at the weekend for a fight in town - PoP upset about it, going to see their mum tonight. PoP was at work when it happened (payslip hours checked)."),
         K(85, "COPT", "Says he's not been round to his mate Dean's as Dean's kids have got chickenpox. Going to the match with Dean Sat instead."),
         K(112, "COAP", "Talked about his mate Kyle who is 'on the gear' - PoP says he's told him he won't see him while he's using. PoP denies any use himself. Good decision, praised."),
     ],
     gold=[])

# 6 ------------------------------------------------------------------------
case(crn="E650233", rosh="high", service="probation", team="Doncaster Central",
     office="Doncaster Ridgeway", officers=[(0, "Mohammed Iqbal")],
     registers="REG17", start="2023-08-14", length=120, interval=(5, 7),
     scenario="High-risk robbery licence, weekly contact, only a historic closed DV incident",
     traps="historical: 'historic DV with previous partner in 2012 - single call out, NFA, no contact since'; previous convictions for violence (2014) are pre-supervision; 'off his head ... back then' is historical substance use",
     keys=[
         K(0, "COAI", "Licence induction. Released HMP Doncaster 10/08. Robbery x2 (2021, street robberies, threatened victims with a bottle). Lives with his nan in Rawmarsh. Not in a relationship.\nHistoric DV with previous partner in 2012 - single call out, NFA, relationship ended 2013, no contact since, she lives in Ireland now. No current DA concerns.\nWeekly reporting explained."),
         K(21, "COAP", "PoP asked if 'the 2012 thing' with his ex would come up again - explained its on his record but is historical and closed. He hasnt seen her in over 10 yrs."),
         K(49, "COAP", "Talked through his pre-cons (assault 2014, the robberies 2021) and what was going on for him then. Says he was 'off his head most of the time back then', hasnt touched anything since prison, works at the scrapyard now."),
     ],
     gold=[])

# 7 ------------------------------------------------------------------------
case(crn="X390157", rosh="high", service="probation", team="Leeds North 2",
     office="Leeds Merrion House", officers=[(0, "Katie Marsh-Lowe")],
     registers="REG17", start="2024-01-08", length=126, interval=(5, 7),
     windows=[(86, 98)],
     scenario="High-risk licence seen weekly; threats to a neighbour with a bat (arrest, NFA) properly reviewed; later lapses to a 12-day gap",
     traps="aggression and arrest answered by SPO discussion (MO1) and RoSH review (RROD) after the incident; 'kicked off in the interview room' is closed by the later review; FTA and 'not seen' inside the 12-day lapse do not count as contacts",
     keys=[
         K(0, "COAI", "Licence induction - released HMP Wealstun 05/01, GBH (glassing in a pub 2021). Lives alone, council flat, Seacroft. Weekly reporting Tues. Licence conditions explained, signed."),
         K(30, "C204", "Call from PC 4471 Rhodes, Leeds NPT East: PoP arrested Sat 03/02 after threatening his neighbour (Mr Kaplan, no.14) with a baseball bat during a dispute over parking. Bat seized. Released NFA as neighbour won't support a prosecution."),
         K(31, "COAP", "Seen re police info. PoP says the neighbour \"had it coming\", he only got the bat out to scare him. Kicked off in the interview room when I said this could have led to recall - shouting, stood up, then calmed down and sat back down. Boundaries reinforced."),
         K(31, "MO1", "Discussed with SPO K Marsh following police info re threats with a bat. Agreed: not recall at this stage, RoSH review this week, reporting stays weekly + one phone check midweek, mediation info for the neighbour dispute. SPO to review in 4 wks."),
         K(32, "RROD", "RoSH review completed following incident 03/02 and behaviour in office 08/02. RoSH remains HIGH (public - neighbours, people he knows). RMP updated: neighbour added as known adult, contingency - any further threats = recall request to SPO same day."),
         K(93, "COAP", "FTA. Phoned PoP twice, no answer. Letter sent."),
         K(95, "COAP", "Not seen - OM on A/L, duty unable to cover. PoP told by text to report Mon."),
         K(98, "COAP", "Seen - apologised for missing last week, said his phone was cut off. Reminded him of reporting requirements. Nothing else of note."),
     ],
     gold=[("CONTACT_BELOW_RISK_LEVEL", "{CL}")])

# 8 ------------------------------------------------------------------------
case(crn="X118406", rosh="low", service="probation", team="Bradford West",
     office="Bradford Hall Ings", officers=[(0, "Priya Chauhan")],
     start="2023-10-02", length=179, interval=(21, 27), windows=[(70, 105)],
     scenario="Low-risk case reporting monthly, lapses to a 35-day gap over Christmas",
     traps="office closure note and an FTA inside the gap are not contacts",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 100 hrs UPW for benefit fraud (£6,200 UC overpayment). Lives with his parents in Thornbury. Working part time at a takeaway."),
         K(80, "", "Office closed 25/12-01/01. Appt letters sent for Jan."),
         K(95, "COAP", "FTA. Text and letter sent."),
         K(105, "COAP", "Seen. Says he forgot the last appt, was working doubles over new year. Reminded of expectations."),
     ],
     gold=[("CONTACT_BELOW_RISK_LEVEL", "{CL}")])

# 9 ------------------------------------------------------------------------
case(crn="J402281", rosh="medium", service="youth", team="Leeds YJS East",
     office="Leeds YJS Kirkstall", officers=[(0, "Nadia Rahman")],
     start="2024-04-15", length=150, interval=(9, 13),
     scenario="Youth: daily cannabis use admitted, substance referral only considered; separate suicidal ideation properly handled (CAMHS referral, safety plan, CAMHS update)",
     traps="'the child' is the person on supervision (not a CHILD trigger); 'will think about a referral' is planned only; self-harm and CAMHS involvement are both answered",
     keys=[
         K(0, "COAI", "Initial appointment at YJS with the child and mum (Claire). 9m YRO with supervision for ABH on another lad outside a chippy (Dec 23). The child is 15, lives with mum in Harehills, attends Co-op Academy (yr 10). AssetPlus started. Mum says he's 'a good lad really'."),
         K(14, "CHVS", "Home visit - seen the child and mum at home. Tidy house, his room ok. Mum worried about who he hangs around with. Agreed to meet fortnightly at YJS plus a visit every so often."),
         K(21, "COAP", "The child told me he's smoking weed \"every day, with the lads after school\" - says it helps him sleep. Mum aware, not happy about it. Talked about the effects and the link to the offence (he'd been smoking that day). Will think about a referral to the YJS substance misuse worker if it carries on."),
         K(49, "COAP", "Session cut short. The child very flat, said \"I'd be better off dead, everyone would be better off\". Explored this - no plan, but has thought about it on and off for 2 wks. Spoke to mum at the end with his agreement.\nConsulted YJS health worker (Ellie) same day - urgent referral made to CAMHS crisis team.\nSafety plan completed with the child and mum (copy on file)."),
         K(56, "C203", "Email from CAMHS crisis team: 'Seen by crisis practitioner 07/06, low mood, no active plan, to be picked up by CAMHS core team, appt 20/06. Will update.' Mum informed."),
         K(63, "COAP", "Seen the child. Brighter today. Says CAMHS were 'alright'. He's still smoking but 'not as much'."),
     ],
     gold=[
         ("SUBSTANCE_NO_RESPONSE", "the child admits daily cannabis use ({d21}) and is still using ({d63}); referral to the substance misuse worker only 'will think about', no referral, liaison or recorded review after"),
     ])

# 10 -----------------------------------------------------------------------
case(crn="J519004", rosh="high", service="youth", team="Leeds YJS South",
     office="Leeds YJS Belle Isle", officers=[(0, "Craig Doyle")],
     registers="WEAP",
     start="2023-09-04", length=120, interval=(5, 7),
     scenario="Youth: arrested carrying a knife; manager oversight and AssetPlus review follow",
     traps="'the child' language; knife arrest answered by MO1 (YOS team manager) and AssetPlus review/RMP update (RROD) after it; 'Dad very angry with him' is the father's anger, not an incident by the child",
     keys=[
         K(0, "COAI", "Initial YRO appt at YOS with the child (16) and dad. 12m YRO with ISS for the first 3 months, robbery of a phone from a man at a bus stop in Beeston. Lives with dad and nan. Curfew 7pm-7am on tag (EM)."),
         K(8, "CHVS", "HV - seen the child at home with dad and nan. His bedroom ok, nan very supportive. No concerns."),
         K(42, "C204", "Police notified YOS: the child arrested Sat night in the city centre, found carrying a lock knife in his waistband. Charged with possession of a bladed article, bailed to youth court 14/11."),
         K(43, "MO1", "Management oversight - discussed with YOS Team Manager (R Akhtar). Knife arrest discussed. Agreed: AssetPlus to be reviewed this week, contact up to twice weekly, parents meeting, liaise with police re any intel. TM agrees RoSH stays high."),
         K(44, "RROD", "AssetPlus review completed following the knife arrest. RoSH high (public, peers). Safety & wellbeing: medium. Risk management plan updated - knife crime intervention (Fearless session), curfew compliance checks, stay away from the city centre at weekends."),
         K(45, "COAP", "Seen the child with dad. Talked about the knife - says he carries it 'for protection' because of lads from Chapeltown. Explored other ways to stay safe. Dad very angry with him (verbally), calmed down during the session."),
     ],
     gold=[])

# 11 -----------------------------------------------------------------------
case(crn="J284455", rosh="high", service="youth", team="Bradford YOS",
     office="Bradford YOS Tyrls", officers=[(0, "Joanne Kettlewell")],
     start="2025-01-13", length=120, interval=(5, 7),
     scenario="Youth on a CIN plan: assaultive behaviour at school and at home, no AssetPlus review; social worker never contacted",
     traps="'will contact SW' is planned only; school's call is not social-care liaison",
     keys=[
         K(0, "COAI", "First appt with the child (14) and mum at YOS. 12m YRO (supervision) for wounding (stabbed another pupil's hand with a compass, Oct 24). He's on a Child in Need plan, his social worker is Amy Nolan (Bradford CSC, Locality East). Lives with mum in a 2 bed flat on Manningham Lane."),
         K(10, "CHVS", "Home visit - seen the child and mum. Small flat, mum struggling, says she has nobody to help. The child stayed in his room for most of it, came out at the end. Bedroom ok."),
         K(35, "COPT", "School rang (Head of Year, Mr Dale): the child kicked off in maths on Tues, squared up to the teacher and threw a chair, had to be restrained by 2 staff. 3 day fixed term exclusion. Phoned the child after - he picked up, said the teacher \"was disrespecting me\".", ),
         K(36, "COAP", "Saw the child re school incident. Still says the teacher started it. Worked through what happened using the 'iceberg' sheet. Will contact SW to share the school info."),
         K(60, "COPT", "Mum rang, then spoke to the child - he punched a hole in his bedroom door last night after she took his phone off him. Nobody hurt. He says he 'lost it'. Talked about what he could do instead."),
     ],
     gold=[
         ("AGGRESSION_NO_RISK_REVIEW", "squared up to a teacher and threw a chair ({d35}), punched his bedroom door after mum took his phone ({d60}); no AssetPlus/RoSH review, risk plan update, risk meeting or manager risk discussion after"),
         ("AGENCY_NO_LIAISON", "social worker (Bradford CSC, CIN plan) involved from {d0}; contact only planned ('Will contact SW', {d36}), no information exchanged"),
     ])

# 12 -----------------------------------------------------------------------
case(crn="J770148", rosh="low", service="youth", team="Hull YJS",
     office="Hull YJS Myton", officers=[(0, "Ben Ashworth")],
     start="2024-10-07", length=140, interval=(12, 18),
     scenario="Youth referral order, clean",
     traps="'the child' language; lives with mum and stepdad (adults); 'no concerns re substance use'; 'hasn't got a girlfriend'",
     keys=[
         K(0, "COAI", "Initial meeting with the child (15) and mum at YJS. 6m referral order for theft (shoplifting, Primark). Lives with mum and stepdad in Orchard Park. No concerns re substance use. Attends Kelvin Hall school, good attendance."),
         K(9, "Other Contact", "Referral order panel meeting. Contract agreed: 6 hrs reparation, letter of apology, 4 sessions with case manager on offending behaviour, attend boxing club."),
         K(14, "CHVS", "HV - seen the child, mum and stepdad. Nice home, his room full of football stuff. Stepdad works at Siemens, very supportive."),
         K(58, "COAP", "Seen the child. He says he hasn't got a girlfriend (mum had been teasing him about a girl at school). Laughing about it. Nothing else of note."),
     ],
     gold=[])

# 13 -----------------------------------------------------------------------
case(crn="J158832", rosh="medium", service="youth", team="Bradford YOS",
     office="Bradford YOS Tyrls", officers=[(0, "Imran Aslam")],
     start="2025-02-03", length=130, interval=(9, 13),
     scenario="Youth (17) whose girlfriend is pregnant; police check done, home visit done, CSC referral re the unborn only ever 'to be discussed'",
     traps="mum's partner is not the PoP's partner; CSC referral 'to be discussed with manager' is planned only",
     keys=[
         K(0, "COAI", "Initial meeting, the child (17) and mum. 9m YRO for burglary (non-dwelling, sheds). Lives with mum and her partner in Keighley. At Keighley college, motor vehicle L1."),
         K(8, "CHVS", "HV - seen the child and mum at home. Mum's partner at work. House fine. The child showed me his bike he's fixing up."),
         K(11, "COAP", "The child told me his girlfriend Maisie Fenton (16, together 2 yrs) is 14 weeks pregnant. Due in August. Says they're 'buzzing'. Maisie lives with her parents in Silsden."),
         K(14, "C369", "Police check requested re the child and Maisie Fenton (relationship)"),
         K(22, "C515", "Police response - no incidents recorded between them. Nil DA."),
         K(25, "COAP", "Talked about the pregnancy and what being a dad means. CSC referral re the unborn to be discussed with my manager before we do anything, as the child is scared CSC will \"take the baby\". Reassured him."),
         K(70, "COAP", "Seen the child. Maisie had her 20 week scan, it's a girl. He's looking for a Saturday job to save up for a pram."),
     ],
     gold=[
         ("CHILD_NO_SAFEGUARDING_CHECK", "girlfriend pregnant, unborn child ({d11}); CSC referral only 'to be discussed' ({d25}), no safeguarding enquiry or referral made"),
     ])

# 14 -----------------------------------------------------------------------
case(crn="X845520", rosh="medium", service="probation", team="Wakefield OM Team",
     office="Wakefield Burton Street", officers=[(0, "Steven Oduya")],
     registers="ADVP", start="2023-03-13", length=170, interval=(10, 14),
     scenario="DA perpetrator: checks on the ex done at the start; a new relationship disclosed later gets no response",
     traps="the DA check came BEFORE the new relationship (does not answer NEW_RELATIONSHIP, which needs 'after'); PARTNER_NO_DA_CHECK has no 'after' so the early C369/C515 closes it; 'she has no kids' is negated",
     keys=[
         K(0, "COAI", "Induction - 18m CO, BBR, 25 RAR. Index: ABH on ex-partner Sophie Marsh (Nov 22, punched her in the face). Now lives alone in Normanton, no contact with Sophie, no RO was made. No children."),
         K(2, "C369", "DA call out check requested re Sophie Marsh + PoP"),
         K(9, "C515", "Response: 3 DA call outs to Sophie's address 2021-22 including the index. Nil since."),
         K(21, "CHVS", "HV completed at his flat. Basic but clean. Lives alone, no signs of anyone else staying. No concerns."),
         K(84, "COAP", "PoP disclosed he has started seeing someone new - Kayleigh, met her at the gym about 3 wks ago. Says its early days. She has no kids, lives in Wakefield. Told him I'd need her details, he was reluctant, said he'd think about it."),
         K(98, "COAP", "Kayleigh 'doing fine' he says, he's staying at hers 2-3 nights a week. Still no surname given. BBR - on waiting list."),
         K(126, "COAP", "seen. things ok with kayleigh, going to Benidorm in Sept (permission needed - he will put it in writing)"),
     ],
     gold=[
         ("NEW_RELATIONSHIP_NO_RESPONSE", "new relationship with Kayleigh disclosed {d84}, staying over by {d98}; the only police DA checks were on the ex before it ({d2}, {d9}); no DA enquiry, DVDS disclosure or risk review after"),
     ])

# 15 -----------------------------------------------------------------------
case(crn="X623019", rosh="very high", service="probation", team="Leeds MAPPA & PP Team",
     office="Leeds Merrion House", officers=[(0, "Rachel Ibbotson")],
     registers="ADVP;RCCO;MAPP", start="2024-02-05", length=126, interval=(5, 7),
     scenario="Very high risk MAPPA licence: new partner with two children found via police intel; DA check, DVDS, SFGC, joint and unannounced home visits, MAPPA meeting (long pasted minutes), SW liaison",
     traps="very long pasted MAPPA minutes (historic convictions, a 2016 NMO breach, hypothetical contingencies, 'not open to mental health services'); licence no-contact condition for the index victim answered by the VLO e-mail; responses via codes C369/C515/SFGC/SFRR/C203/C204/C253",
     keys=[
         K(0, "COAI", "LICENCE INDUCTION\nReleased HMP Wealstun 02/02/24. s.18 wounding with intent on ex-partner (2019). MAPPA Cat 2, Level 2. RoSH very high (known adults - intimate partners).\nLives alone, 1 bed flat, Gipton. Single on release.\nPolice Offender Manager: DC Imran Hussain (IOM).\nLicence conditions read and signed incl. disclosure of relationships, no contact with the index victim, exclusion area around her address."),
         K(3, "C204", "Spoke to DC Hussain (POM) - shared licence conditions, address and reporting days. Agreed joint HV in 2 wks and monthly joint visits after."),
         K(4, "Victim Liaison Contact", "Email from VLO (Ruth Senior): index victim remains in the victim contact scheme, aware of release and of the no-contact licence condition and exclusion area. She reports no contact from PoP. VLO to pass on anything further."),
         K(14, "Home Visit to Case (NS)", "Joint HV with DC Hussain. Flat sparse but clean. PoP polite, says he just wants to get his head down. Nothing of concern seen.", time="14:00:00"),
         K(45, "C204", "Intel from DC Hussain: PoP seen on 3 occasions with a female, believed to be Tanya Cole, 31, of Seacroft, who has 2 children (7 and 3). Believed to be a new relationship."),
         K(46, "COAP", "Challenged PoP re Tanya - he admitted they've been seeing each other for about a month, didnt tell me as he \u201cknew you'd make a big deal\u201d. Reminded of the licence condition to disclose relationships. He's stayed at hers twice."),
         K(46, "C369", "Police DA check requested re Tanya COLE dob 11/07/1992"),
         K(49, "SFGC", "Safeguarding check sent to Leeds MASH re Tanya Cole's children (K.C. 7, R.C. 3)"),
         K(49, "MO3", "Discussed with SPO (MAPPA): agree DVDS right to be told to be progressed by police, MAPPA L2 meeting to be brought forward, reporting stays weekly. Recall not indicated at present."),
         K(52, "C515", "Police reply: Tanya Cole - no DA history. PoP as known. DVDS 'right to be told' disclosure authorised (Clare's law) - DC Hussain to deliver to Ms Cole early next week."),
         K(56, "SFRR", "MASH response: both children previously open to CSC (CIN 2022, neglect/housing), closed. Given PoP's history a strategy discussion has been held and a SW allocated for a single assessment - Becky Lane, Seacroft locality."),
         K(58, "CCMM", MAPPA_MINUTES),
         K(60, "C253", "Unannounced HV 19:00 to PoP's flat. PoP in, Tanya present with her youngest. PoP calm, Tanya said she's 'taking things slowly'. Spoke to her alone in the hallway briefly - no concerns disclosed, has IDVA number.", time="19:00:00"),
         K(70, "C203", "Tel with SW Becky Lane - single assessment ongoing, children seen at school and home, no concerns so far. Joint meeting with Ms Cole agreed for 29/04. I shared the RMP actions."),
         K(84, "C004", "OASys review completed to reflect the new relationship (MAPPA action 5.1). RoSH remains very high to known adults. RMP updated with MAPPA actions."),
     ],
     gold=[])

# 16 -----------------------------------------------------------------------
case(crn="X702266", rosh="medium", service="probation", team="Doncaster Central",
     office="Doncaster Ridgeway", officers=[(0, "Claire Fothergill")],
     start="2025-01-06", length=150, interval=(10, 14),
     scenario="New partner, moved in together; police checks only ever planned; home visit done",
     traps="'Will do DA checks on Stacey next week' is planned; 'She has no kids' is negated; the home visit closes NO_HOME_VISIT only",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 20 RAR, 120 hrs UPW for burglary (garage). Single, lives with his dad in Bentley."),
         K(56, "COAP", "CHANGE OF ADDRESS - PoP has moved in with his new partner Stacey Orr, 29, at 6 Pear Tree Walk, Doncaster. Been together 'about 2 months', moved in 2 wks ago. She has no kids. PoP didnt tell me before moving - reminded him he must notify address changes. Will do DA checks on Stacey next week."),
         K(67, "CHVS", "HV to new address. PoP and Stacey in. Flat clean and tidy. Stacey said they met through her cousin. Nothing of concern observed."),
         K(91, "COAP", "Says things are good with Stacey, she's helping him with his CV. UPW 70/120."),
     ],
     gold=[
         ("NEW_RELATIONSHIP_NO_RESPONSE", "new relationship with Stacey Orr disclosed {d56}, living together; DA checks only planned ('Will do DA checks on Stacey next week'); no DA enquiry, DVDS or risk review after"),
         ("PARTNER_NO_DA_CHECK", "current partner Stacey Orr ({d56}); no police DA call-out/intelligence enquiry recorded at any point"),
     ])

# 17 -----------------------------------------------------------------------
case(crn="X933481", rosh="medium", service="probation", team="Wakefield OM Team",
     office="Wakefield Burton Street", officers=[(0, "Lee Hargreaves")],
     start="2024-05-20", length=140, interval=(10, 14),
     scenario="Licence with drug testing: positive cocaine swab, admits using again; the only drug service contact was before it",
     traps="liaison with CGL BEFORE the trigger (does not count: SUBSTANCE needs 'after'); CGL discharged in 2022 (historical, not current agency involvement)",
     keys=[
         K(0, "COAI", "Licence induction. Released HMP Lindholme 16/05, handling stolen goods (2 yrs). Drug testing licence condition. States historic cocaine use, stopped Aug 2022 when he got his job. Was with CGL until discharge in 2022. Lives with his brother in Ossett."),
         K(3, "C203", "Contacted CGL Wakefield re previous treatment: confirm discharged 10/2022, planned exit, completed treatment. No current involvement."),
         K(60, "DRGTST", "Oral swab +ve cocaine. PoP informed of result."),
         K(63, "COAP", "Discussed the +ve swab. PoP admits using again - 'just at weekends, a couple of lines with lads from work'. Says its under control and he can stop."),
         K(77, "COAP", "Seen. Says he's cut down. Talked about his weekends and who he's with."),
     ],
     gold=[
         ("SUBSTANCE_NO_RESPONSE", "+ve cocaine swab {d60}, admits using again at weekends {d63}; the only CGL contact was before the trigger ({d3}); no referral, liaison, treatment review or recorded review after"),
     ])

# 18 -----------------------------------------------------------------------
case(crn="X481172", rosh="medium", service="probation", team="Sheffield City 3",
     office="Sheffield Castle Gate", officers=[(0, "Tom Needham")],
     start="2023-11-06", length=140, interval=(10, 14),
     scenario="Squared up to reception staff; no risk review afterwards",
     traps="an incident form to Health & Safety is not a risk review",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 20 RAR, for theft and going equipped. Lives with his mum in Parson Cross. Works odd jobs."),
         K(44, "Other Contact", "INCIDENT IN RECEPTION: PoP arrived 40 mins late for his appt and was told he'd have to wait. He squared up to reception staff (Julie), shouting in her face \"you lot are all the same\", had to be walked out by security. Left the building before being seen."),
         K(45, "", "Incident form completed and sent to the H&S lead. Julie ok, shaken."),
         K(46, "COAP", "Discussed Wednesday's incident in reception. PoP apologised, says he was stressed about money. Explained the standards of behaviour expected in the building."),
     ],
     gold=[
         ("AGGRESSION_NO_RISK_REVIEW", "squared up to reception staff, shouting, walked out by security ({d44}); no RoSH/OASys review, RMP update, risk meeting or manager risk discussion after"),
     ])

# 19 -----------------------------------------------------------------------
case(crn="X117298", rosh="medium", service="probation", team="Sheffield City 3",
     office="Sheffield Castle Gate", officers=[(0, "Aisha Khan")],
     start="2024-07-01", length=150, interval=(10, 14),
     scenario="OASys done at the start; later threatens another UPW worker with a shovel; no review after the incident",
     traps="risk review BEFORE the trigger (OASys at week 2) does not count; UPW supervisor e-mail pasted",
     keys=[
         K(0, "COAI", "Induction - 18m CO, 200 hrs UPW, 20 RAR. Affray (2023, fight outside a nightclub). Lives alone in Hillsborough."),
         K(14, "C004", "OASys completed. RoSH medium (public). RMP and sentence plan in place."),
         K(58, "Other Contact", "Email from UPW supervisor:\n\nFrom: Gary Hinds (CP Supervisor)\nSent: 28 August 2024 16:02\nSubject: incident on site - Sat group\n\nHi Aisha\nJust to let you know your lad kicked off on site Sat at the Sheffield Rd allotments. He threatened another worker with a shovel after an argument about breaks, had to be sent off site. Nobody hurt. If he does it again he wont be coming back to my group.\nCheers, Gary"),
         K(63, "COAP", "Discussed the UPW incident. PoP says the other lad was winding him up. Admits he raised the shovel \"but wasnt going to do owt\". Talked about walking away."),
     ],
     gold=[
         ("AGGRESSION_NO_RISK_REVIEW", "threatened another UPW worker with a shovel ({d58}); the only OASys/RoSH review was before the incident ({d14}); no risk review after"),
     ])

# 20 -----------------------------------------------------------------------
case(crn="X640811", rosh="medium", service="probation", team="Hull West",
     office="Hull Lowgate", officers=[(0, "Jenny Clarkson")],
     start="2023-06-05", length=150, interval=(10, 14),
     scenario="Suicidal thoughts ('better off dead', overdose) disclosed; referral only planned",
     traps="'I will make a referral to the CMHT and write to his GP' is planned; nothing follows",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 15 RAR, 60 hrs UPW, for theft from employer. Lives alone in a flat on Beverley Rd."),
         K(42, "COAP", "PoP very low today. Said \"honestly I'd be better off dead\". Asked directly - has thought about taking an overdose, no plan, says he wouldnt do it because of his sister. Says its been like this since his mum died in March. I will make a referral to the CMHT and write to his GP this week."),
         K(56, "COAP", "Says he's a 'bit better'. Still not sleeping. UPW on hold this week as he's not up to it."),
     ],
     gold=[
         ("SELF_HARM_NO_RESPONSE", "suicidal thoughts disclosed ({d42}: 'better off dead', thoughts of an overdose); CMHT/GP referral only planned; no liaison, referral or safety plan after"),
     ])

# 21 -----------------------------------------------------------------------
case(crn="X390820", rosh="low", service="probation", team="Bradford DA Hub",
     office="Bradford Hall Ings", officers=[(0, "Michelle Ayre")],
     registers="ADVP;RSTO", start="2024-08-05", length=150, interval=(6, 13),
     scenario="Woman on UPW with a restraining order protecting her ex-partner; DA checks, VLO contact and a home visit recorded",
     traps="victim-order monitoring by VLO contact, MARAC (C005) and repeat police checks; 'both had been out drinking' is the pre-sentence offence, not current use; 'no children'",
     keys=[
         K(0, "COAI", "Induction: CO 80 hrs UPW for common assault on her ex-partner Danielle Price (spat at her in the street, both had been out drinking, July). Restraining order 2 yrs - no contact with Danielle Price directly or indirectly, not to go to Grange Road. PoP lives alone, no children. Very upset about the RO."),
         K(2, "C369", "DA call out check sent"),
         K(10, "C515", "3 incidents 2019-2023, PoP recorded as victim in 2 of them, index is the 3rd."),
         K(15, "Victim Liaison Contact", "Spoke to VLO (Sam Reid) - Ms Price is in the victim contact scheme. Reports no contact from PoP since sentence. VLO will update me if anything changes."),
         K(21, "CHVS", "HV completed. Small flat in Shipley, tidy. PoP tearful about the relationship ending, says she's accepted it's over. No concerns."),
         K(23, "CSPO", "Consultation with manager (SPO D Holt): UPW-only order but DA + RO in place. Agreed to see her weekly (Mondays, after her Saturday UPW) and repeat DA checks every 2 months."),
         K(39, "C005", "MARAC 12/09 - case heard re Danielle Price (victim) following an IDVA referral after the sentence. Actions: police marker on her address, probation to share RO compliance info with the IDVA. No new incidents reported."),
         K(60, "C369", "DA check re RO compliance - sent"),
         K(70, "C515", "No call outs since sentence. No reports of RO breach."),
     ],
     gold=[])

# 22 -----------------------------------------------------------------------
case(crn="X455190", rosh="medium", service="probation", team="Bradford DA Hub",
     office="Bradford Hall Ings", officers=[(0, "Andrew Sugden")],
     registers="ADVP", start="2025-03-03", length=140, interval=(10, 14),
     scenario="Harassment of ex-partner with a non-molestation order; no police check, victim contact only planned, home visits attempted only",
     traps="'will contact the VLO' is planned; 'HV attempted, no answer' twice (CHVS code but note records non-attendance)",
     keys=[
         K(0, "COAI", "Induction - 12m CO, 30 RAR, for harassment of his ex-partner Kerry-Ann Boyle (texts/calls, turning up at her work). Non-molestation order in place (made Jan 25, 12 months) protecting Kerry-Ann - not to contact her or go within 100m of her house on Elm Rd. PoP says \"she's the one who keeps messaging me\"."),
         K(1, "", "Will contact the VLO re Kerry-Ann once the CPS papers come through."),
         K(22, "CHVS", "HV attempted 17:15, no answer. Card left.", time="17:15:00"),
         K(36, "CHVS", "HV attempted again - no answer, neighbour said he's 'hardly ever in'.", time="16:40:00"),
         K(50, "COAP", "PoP says Kerry-Ann has 'blocked him on everything'. Says he's moved on. Talked about the order and what counts as indirect contact (mates, social media)."),
     ],
     gold=[
         ("VICTIM_ORDER_NO_MONITORING", "non-molestation order protecting Kerry-Ann Boyle ({d0}); victim liaison only planned ({d1}); no VLO contact, police check or victim-agency discussion recorded"),
         ("PARTNER_NO_DA_CHECK", "ex-partner Kerry-Ann Boyle, DA harassment index offence ({d0}); no police DA call-out/intelligence enquiry recorded"),
         ("NO_HOME_VISIT", "DA concerns from {d0}; home visits attempted ({d22}, {d36}), no answer, none completed"),
     ])

# 23 -----------------------------------------------------------------------
case(crn="X278905", rosh="high", service="probation", team="Hull East",
     office="Hull Lowgate", officers=[(0, "Paul Sowerby")],
     registers="REG15", start="2024-11-04", length=120, interval=(5, 7),
     scenario="Robbery licence with no-contact condition and exclusion zone for the victim, never monitored; heroin relapse properly handled with CGL",
     traps="relapse ('on the gear') answered by a CGL referral, worker liaison and a 3-way; seen while intoxicated; drug worker involvement answered",
     keys=[
         K(0, "COAI", "Licence induction - released HMP Hull 01/11, 4 yrs for robbery of the Co-op on Hessle Rd (shop worker Aaron Hughes threatened with a screwdriver). Licence conditions include: not to contact Aaron Hughes directly or indirectly; exclusion zone - not to enter Hessle Road between Daltry St and Boulevard (map given). Lives with his mum in Bransholme."),
         K(42, "COAP", "PoP honest today - says he's been on the gear again since the weekend, 'a couple of bags'. Gutted with himself. Talked it through."),
         K(42, "DRGCNT", "Referral to CGL Hull sent today with PoP's consent (heroin relapse)."),
         K(49, "COAP", "Seen. Clearly under the influence - pinned, nodding off mid sentence. Kept the session short and told him to come back tomorrow. Naloxone kit checked (he has one)."),
         K(50, "COAP", "Seen, much better today. Has his first CGL appt Thurs."),
         K(57, "C203", "Spoke to his CGL recovery worker Dan Ellis - attended assessment, starting a script Mon. 3-way planned for 2 wks time."),
         K(70, "COAP", "3-way meeting with PoP and Dan Ellis (CGL) at the CGL office on Witham. On script, 1 lapse since, engaging. Agreed to share any test results."),
     ],
     gold=[
         ("VICTIM_ORDER_NO_MONITORING", "licence no-contact condition and exclusion zone protecting Aaron Hughes ({d0}); no victim liaison contact, police check or compliance check ever recorded"),
     ])

# 24 -----------------------------------------------------------------------
case(crn="X604417", rosh="medium", service="probation", team="Wakefield OM Team",
     office="Wakefield Burton Street", officers=[(0, "Nicola Bateson")],
     start="2023-04-03", length=140, interval=(10, 14),
     scenario="Lives in supported housing with a support worker; probation never speaks to the housing provider",
     traps="'had a social worker as a kid' is historical; information about the support worker comes only from the PoP",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 20 RAR for shoplifting x4. Lives in supported housing (Home Group, Denby Dale Rd) - support worker Chris Whelan. Was in care till 16 and had a social worker as a kid, nothing now."),
         K(39, "COAP", "PoP says his support worker Chris is helping him with a PIP form and his UC journal. Going ok."),
         K(81, "COAP", "PoP says Chris told him he might have to move on from the project by September. Worried about where he'll go."),
     ],
     gold=[
         ("AGENCY_NO_LIAISON", "housing support (Home Group, support worker Chris Whelan) involved from {d0}; no information ever exchanged with the housing provider"),
     ])

# 25 -----------------------------------------------------------------------
case(crn="X730952", rosh="low", service="probation", team="Leeds East 3",
     office="Leeds Merrion House", officers=[(0, "Graham Tetley")],
     start="2024-01-15", length=170, interval=(20, 27),
     scenario="Arrest for shoplifting disclosed; the only management oversight was at allocation",
     traps="MO1 BEFORE the trigger does not count (RISK_ESCALATION needs 'after')",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 100 hrs UPW for theft (shoplifting). Lives with his aunt in Killingbeck."),
         K(1, "MO1", "Management oversight - allocation. Case allocated to PSO G Tetley. Agreed monthly reporting appropriate, UPW to start asap."),
         K(100, "COAP", "PoP disclosed he was arrested Friday for shoplifting at Asda Killingbeck (meat and razors), interviewed and released under investigation. Says he did it because his UC was stopped. Discussed."),
         K(101, "CARR", "Arrest incident: arrested 19/04 for theft (shoplifting) at Asda Killingbeck. Released under investigation. Info from PoP, confirmed on PNC by police liaison."),
         K(126, "COAP", "No update on the RUI. UC back in payment now."),
     ],
     gold=[
         ("RISK_ESCALATION_NO_OVERSIGHT", "arrest for shoplifting disclosed {d100} (released under investigation); the only management oversight was at allocation ({d1}); none after"),
     ])

# 26 -----------------------------------------------------------------------
case(crn="X815263", rosh="medium", service="probation", team="Leeds West 1",
     office="Leeds Merrion House", officers=[(0, "Tom Barker"), (60, "Emma Sykes")],
     start="2024-03-11", length=170, interval=(10, 14),
     scenario="Under the CMHT but probation never contacts them; case reallocated and reviewed 20 days later",
     traps="reallocation answered by a case review at day 20; 'no current thoughts of self-harm' is negated; CMHT contact planned twice, never made",
     keys=[
         K(0, "COAI", "Induction. 18m CO, 20 RAR, MHTR considered at court but not made. Criminal damage (2023). PoP is under the CMHT (Leeds West), care coordinator Jo Reilly, diagnosis of bipolar. Says no current thoughts of self-harm. Will email the CMHT to introduce myself and get a copy of the care plan."),
         K(60, "Other Contact", "Case reallocated to Emma Sykes from Tom Barker (Tom moving to the courts team). PoP informed by letter.", author="Admin - L Dodds"),
         K(63, "COAP", "First appt with PoP since reallocation. Introduced myself, explained how I work. He seemed fine with the change."),
         K(80, "CSPR", "Case review completed following reallocation: read the OASys and all notes, sentence plan reviewed with PoP and objectives updated (ETE, thinking skills). CMHT involvement noted - need to contact Jo Reilly for an update."),
     ],
     gold=[
         ("AGENCY_NO_LIAISON", "CMHT care coordinator involved from {d0}; contact with the CMHT only planned ({d0}, {d80}); no information exchanged"),
     ])

# 27 -----------------------------------------------------------------------
case(crn="X227045", rosh="medium", service="probation", team="Sheffield North",
     office="Sheffield Castle Gate", officers=[(0, "Rebecca Lunn")],
     start="2023-09-11", length=150, interval=(10, 14),
     windows=[(36, 43), (66, 74)],
     scenario="Two FTAs, warning letter issued and breach mentioned; no management oversight",
     traps="the AWLI warning is the trigger; FTAs themselves are not escalation",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 100 hrs UPW, 10 RAR for criminal damage to a car (neighbour dispute, 2022). Lives with his mum in Firth Park."),
         K(39, "COAP", "FTA - no contact from PoP."),
         K(43, "COAP", "Seen - says he forgot, had started a new job. Acceptable? - told him no, he needs to ring in. Not enforced as first one."),
         K(70, "COAP", "FTA. No contact, phone off."),
         K(74, "COAP", "Seen. No explanation for last week, 'just couldnt be bothered'. Told him a warning will be issued."),
         K(77, "AWLI", "Warning letter issued re FTA - unacceptable absence. Breach to be considered if any further failure."),
     ],
     gold=[
         ("RISK_ESCALATION_NO_OVERSIGHT", "warning letter issued, breach to be considered ({d77}); no management oversight (SPO/manager discussion, MO1/MO3/MO5/C416) after"),
     ])

# 28 -----------------------------------------------------------------------
case(crn="X369120", rosh="high", service="probation", team="Doncaster Central",
     office="Doncaster Ridgeway", officers=[(0, "Laura Grant-Hughes")],
     registers="WEAP",
     start="2025-04-07", length=120, interval=(5, 7),
     scenario="RoSH raised medium to high after intel of knife carrying; OASys review and SPO oversight follow",
     traps="RoSH in the note at release (medium) differs from cases.csv (high, current); 'recall considered' only as a contingency",
     keys=[
         K(0, "COAI", "Licence induction. Released HMP Moorland 04/04, burglary dwelling x3. RoSH medium at release. Lives in a bedsit in Balby. Weekly reporting."),
         K(45, "C204", "Intel from police (Doncaster NPT): PoP seen associating with known suppliers in Balby; anonymous information that he has been carrying a knife. No arrest."),
         K(46, "C004", "OASys/RoSH review completed following police intel. RoSH raised from MEDIUM to HIGH (public/known associates). RMP updated: weekly reporting + unannounced checks, contingency: any further intel re weapons -> recall to be considered with SPO."),
         K(46, "MO1", "Management oversight - SPO L Grant: agree with RoSH increase to high, reporting weekly, MAPPA L1 screening to be completed. Endorsed RMP."),
         K(49, "COAP", "Discussed the intel with PoP. He denies having a knife, says the people he was seen with are 'just lads from the estate'. Explained why his RoSH has gone up and what changes."),
     ],
     gold=[])

# 29 -----------------------------------------------------------------------
case(crn="X952384", rosh="low", service="probation", team="Hull West",
     office="Hull Lowgate", officers=[(0, "Mark Lowe"), (80, "Priya Nair")],
     registers="ALSH",
     start="2023-01-09", length=180, interval=(18, 26),
     scenario="Self-harm disclosed and handled (crisis team, safety plan); later reallocated and the first review comes 40 days after",
     traps="reallocation with a review at day 40 (too late); self-harm answered by crisis team liaison and a safety plan",
     keys=[
         K(0, "COAI", "Induction. 18m CO, 150 hrs UPW for fraud (online selling scam). Lives alone in Hessle."),
         K(30, "COAP", "PoP disclosed he cut his arms at the weekend after getting bad news about his job - superficial, didnt need treatment. Showed me, healing. Says no current thoughts of suicide."),
         K(30, "C203", "With PoP's consent phoned the Crisis Team (Hull) - advised they will phone him today. Letter to GP sent.", time="15:20:00"),
         K(31, "COPT", "Tel with PoP - safety plan completed together over the phone (triggers, who to call, keeping safe). Copy posted."),
         K(32, "C203", "Crisis team update: seen by crisis yesterday, referred on to primary care mental health. Closed to crisis."),
         K(80, "Other Contact", "Case transferred to Priya Nair (OM) from Mark Lowe - caseload rebalancing.", author="Admin - L Dodds"),
         K(84, "COAP", "First session since the transfer. Introduced myself. PoP ok, working at the bakery."),
         K(120, "CSPR", "Case review completed: read through the file, sentence plan reviewed with PoP, OASys checked - no change."),
     ],
     gold=[
         ("REALLOCATION_NO_REVIEW", "case transferred to a new OM {d80}; first case review {d120} (40 days later); no review or handover discussion within 28 days"),
     ])

# 30 -----------------------------------------------------------------------
case(crn="X486731", rosh="high", service="probation", team="Bradford East",
     office="Bradford Hall Ings", officers=[(0, "Steph Walker"), (30, "Ryan Holt")],
     start="2024-09-09", length=120, interval=(5, 7),
     scenario="Reallocated with a review only promised; suicidal thoughts with a safety plan only promised",
     traps="'Will do a full case review once I've read in' and 'safety plan to be completed next session' are planned; the outgoing OM's maternity leave is not a pregnancy in the PoP's life",
     keys=[
         K(0, "COAI", "Licence induction. Released HMP Leeds 06/09, robbery (2022). Lives with his mum in Allerton. Weekly reporting."),
         K(30, "Other Contact", "Reallocation - case moved from Steph Walker to Ryan Holt (Steph starting maternity leave).", author="Admin - P Shah"),
         K(32, "COAP", "First meeting with PoP. Went through reporting and licence. Will do a full case review once I've read in properly."),
         K(60, "COAP", "PoP says he has thoughts of ending it 'most nights', no plan. Says his mum doesnt know. Safety plan to be completed next session."),
         K(67, "COAP", "Seen, says he's ok this week. Didn't get to the safety plan - will do next week."),
     ],
     gold=[
         ("REALLOCATION_NO_REVIEW", "case moved to a new OM {d30}; review only planned ('Will do a full case review once I've read in', {d32}); none within 28 days"),
         ("SELF_HARM_NO_RESPONSE", "thoughts of ending his life 'most nights' ({d60}); safety plan only planned ({d60}, {d67}); no MH/GP/crisis liaison or referral"),
     ])

# 31 -----------------------------------------------------------------------
case(crn="X118920", rosh="", service="probation", team="Leeds South 1",
     office="Leeds Merrion House", officers=[(0, "Joe Pickersgill")],
     start="2023-12-04", length=140, interval=(10, 14),
     scenario="No RoSH in cases.csv; the OASys note says medium; fortnightly contact satisfies medium",
     traps="RoSH must be read from the note ('assessed as posing a medium risk of serious harm')",
     keys=[
         K(0, "COHV", "Initial appointment completed at home (PoP has a broken ankle, can't get into the office). 12m CO, 15 RAR, for fraud (false insurance claim). Lives with his parents in Morley. Compact signed at the kitchen table."),
         K(10, "C004", "OASys completed. He is assessed as posing a medium risk of serious harm to the public (index offence plus previous affray 2019)."),
     ],
     gold=[])

# 32 -----------------------------------------------------------------------
case(crn="X577203", rosh="", service="probation", team="Sheffield North",
     office="Sheffield Castle Gate", officers=[(0, "Rebecca Lunn")],
     start="2024-06-03", length=130, interval=(12, 14),
     scenario="No RoSH in cases.csv; the OASys note says high; contact only fortnightly",
     traps="RoSH must be read from the note ('assessed as posing a high risk of serious harm')",
     keys=[
         K(0, "COAI", "Induction. Licence, released HMP Doncaster 30/05, wounding (2021). Lives alone in Page Hall."),
         K(7, "C004", "OASys completed at start of licence. Assessed as posing a high risk of serious harm to members of the public."),
     ],
     gold=[("CONTACT_BELOW_RISK_LEVEL", "{CL}")])

# 33 -----------------------------------------------------------------------
case(crn="X264791", rosh="", service="probation", team="Hull East",
     office="Hull Lowgate", officers=[(0, "Paul Sowerby")],
     start="2025-02-10", length=200, interval=(25, 40), fta_rate=0.0,
     scenario="No RoSH anywhere; contact every 4-6 weeks",
     traps="RoSH unknown, so CONTACT_BELOW_RISK_LEVEL must not fire despite intervals over 28 days",
     keys=[
         K(0, "COAI", "Induction. 12m CO, 80 hrs UPW for theft by finding (kept a wallet). Lives with his grandparents in Anlaby."),
     ],
     gold=[])

# 34 -----------------------------------------------------------------------
case(crn="T10294", rosh="medium", service="probation", team="Leeds East 3",
     office="Leeds Merrion House", officers=[(0, "Graham Tetley")],
     registers="ADVP;RCCO", start="2023-07-03", length=150, interval=(10, 14),
     scenario="DA with a toddler in the household; DA and CSC checks done (codes, terse notes); home visits only ever attempted. CRN in an odd shape (letter + 5 digits)",
     traps="wrong-shape CRN must still be analysed; SFGC 'req' closes CHILD by code; CHVS/C253 with 'attempted, no answer' are not completed visits",
     keys=[
         K(0, "COAI", "Induction. 12m CO, BBR, 20 RAR. Criminal damage at Gemma's mum's house after an argument with Gemma (DA related, Apr 23). Lives with partner Gemma Hollis and their son Alfie (2) in Halton Moor."),
         K(1, "SFGC", "req"),
         K(2, "C369", "DA check requested PoP + Gemma Hollis"),
         K(11, "SFRR", "MASH: Alfie known - early help 2022 (housing/parenting), closed. No current involvement."),
         K(11, "C515", "2 call outs 2022 (verbal argument, no offences), plus the index. Nil since."),
         K(22, "CHVS", "HV attempted, no answer, card left.", time="17:00:00"),
         K(43, "C253", "Unannounced HV attempted 18:00 - lights on but no answer. Will try again.", time="18:00:00"),
         K(60, "COAP", "PoP says things are 'calm' at home, Alfie started at nursery. Asked him why nobody answered - says they were probably in the bath."),
     ],
     gold=[
         ("NO_HOME_VISIT", "DA (partner Gemma, index offence) and a child (Alfie, 2) in the household ({d0}); home visits attempted ({d22}, {d43}), none completed"),
     ])

# 35 -----------------------------------------------------------------------
case(crn="J906318", rosh="high", service="youth", team="Leeds YJS East",
     office="Leeds YJS Kirkstall", officers=[(0, "Nadia Rahman")],
     start="2025-05-12", length=109, interval=(5, 7), windows=[(49, 59)],
     scenario="Youth high risk seen weekly, then three missed appointments, a final warning and no manager oversight; 10-day gap in contact",
     traps="'the child' language; the robbery victim (a 15-year-old) is not a child in his life; FTAs inside the gap; the home visit was before (fine, NO_HOME_VISIT has no 'after')",
     keys=[
         K(0, "COAI", "Initial meeting with the child (16) and mum at YJS. 12m YRO with ISS, robbery (with others, took a bike and phone off a 15 yr old, Feb 25). Lives with mum in Seacroft."),
         K(7, "CHVS", "HV - seen the child and mum at home. Mum says he's 'calmer since court'. His room ok."),
         K(52, "COAP", "FTA - the child didnt come to his appt. Rang mum, she thinks he's at his cousin's in Bradford."),
         K(56, "COAP", "FTA again. No contact from the child, mum says he came home late last night."),
         K(57, "AWLI", "Final warning letter issued re 3 unacceptable absences (incl. reparation). Breach will follow any further absence. Hand delivered to mum."),
         K(59, "COAP", "Seen the child with mum. Says he was staying at his cousin's, 'just needed a break'. Explained the final warning and what happens next."),
     ],
     gold=[
         ("RISK_ESCALATION_NO_OVERSIGHT", "final warning issued, breach to follow any further absence ({d57}); no management oversight after"),
         ("CONTACT_BELOW_RISK_LEVEL", "{CL}"),
     ])


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------
def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def officer_on(c, day):
    name = c["officers"][0][1]
    for d, n in c["officers"]:
        if day >= d:
            name = n
    return name


def weekday_back(start, day, floor=0):
    """Move a day offset back to the nearest weekday (not before floor)."""
    while day > floor and (start + dt.timedelta(days=day)).weekday() >= 5:
        day -= 1
    return day


def fill(rng, start, s, e, lo, hi):
    pts = [s]
    x = s
    while e - x > hi:
        x = weekday_back(start, x + rng.randint(lo, hi), x + 1)
        pts.append(x)
    if e != x:
        pts.append(e)
    return pts


def schedule(rng, c, start):
    """Days of routine completed contacts for a case."""
    lo, hi = c["interval"]
    cuts = [0]
    for a, b in sorted(c["windows"]):
        cuts += [a, b]
    cuts.append(weekday_back(start, c["length"]))
    days = []
    # segments: [0,a1], [b1,a2], ..., [bn,length]
    for i in range(0, len(cuts), 2):
        s, e = cuts[i], cuts[i + 1]
        days += fill(rng, start, s, e, lo, hi)
    return sorted(set(days))


def build():
    rng = random.Random(SEED)
    pools = {}
    for entry in ROUTINE:
        pools.setdefault(entry[0], []).append(entry)

    rows = []  # dicts with crn, date (datetime.date), time, type, notes, author, office, kind
    for c in CASES:
        start = dt.date.fromisoformat(c["start"])
        youth = c["service"] == "youth"
        c["_start"] = start
        key_completed_days = {k["day"] for k in c["keys"] if is_completed(k["type"], k["text"])}
        # key notes
        for k in c["keys"]:
            rows.append(dict(crn=c["crn"], day=k["day"], date=start + dt.timedelta(days=k["day"]),
                             time=k["time"], type=k["type"], notes=k["text"],
                             author=k["author"] or officer_on(c, k["day"]),
                             office=k["office"] or c["office"], kind="key"))
        # routine completed contacts
        local = {t: rng.sample(v, len(v)) for t, v in pools.items()}

        licence = "licence" in c["keys"][0]["text"].lower()

        def allowed(entry, day):
            text = entry[1]
            if licence and re.search(r"UPW|RAR|\border\b|unpaid", text, re.I):
                return False  # no unpaid work or RAR on a licence
            if "left on the order" in text and day < 0.75 * c["length"]:
                return False
            if "Induction pack" in text and day > 14:
                return False
            if re.search(r"Certificate|completion|UPW hours report|hours updated", text) and day < 0.4 * c["length"]:
                return False
            return True

        def draw(tag, day):
            for _ in range(200):
                if not local[tag]:
                    local[tag] = rng.sample(pools[tag], len(pools[tag]))
                entry = local[tag].pop()
                if allowed(entry, day):
                    return entry
            raise RuntimeError("no routine note allowed for %s %s" % (c["crn"], tag))

        days = schedule(rng, c, start)
        routine_days = [d for d in days if d not in key_completed_days]
        for d in routine_days:
            if d == 0:
                continue  # induction is always a key note
            if youth:
                tag = "yo" if rng.random() < 0.82 else "yp"
            else:
                tag = "o" if rng.random() < 0.74 else "p"
            entry = draw(tag, d)
            ctype = entry[2] if len(entry) > 2 else weighted(rng, ROUTINE_TYPES[tag])
            author = officer_on(c, d)
            if rng.random() < 0.1:
                author = rng.choice(YOUTH_DUTY if youth else ADULT_DUTY)
            rows.append(dict(crn=c["crn"], day=d, date=start + dt.timedelta(days=d), time=None,
                             type=ctype, notes=entry[1], author=author, office=c["office"],
                             kind="routine"))
        # admin and FTA extras between completed contacts
        completed = sorted(set(days) | key_completed_days)
        for i in range(len(completed) - 1):
            a, b = completed[i], completed[i + 1]
            inside_window = any(wa <= a and b <= wb for wa, wb in c["windows"])
            if rng.random() < c["admin_rate"]:
                d = weekday_back(start, min(a + rng.randint(1, 3), c["length"]), a)
                entry = draw("ya" if youth else "a", d)
                ctype = entry[2] if len(entry) > 2 else weighted(rng, ROUTINE_TYPES["ya" if youth else "a"])
                rows.append(dict(crn=c["crn"], day=d, date=start + dt.timedelta(days=d), time=None,
                                 type=ctype, notes=entry[1],
                                 author=rng.choice(YOUTH_ADMIN if youth else ADULT_ADMIN),
                                 office=c["office"], kind="routine"))
            if not youth and not inside_window and b - a >= 3 and rng.random() < c["fta_rate"]:
                d = a + rng.randint(1, b - a - 1)
                if (start + dt.timedelta(days=d)).weekday() >= 5:
                    continue
                entry = draw("f", d)
                ctype = entry[2] if len(entry) > 2 else "COAP"
                rows.append(dict(crn=c["crn"], day=d, date=start + dt.timedelta(days=d), time=None,
                                 type=ctype, notes=entry[1], author=officer_on(c, d),
                                 office=c["office"], kind="routine"))
    return rng, rows


def fmt_date(rng, r):
    if r["time"]:
        return r["date"].isoformat() + "T" + r["time"]
    if rng.random() < 0.18:
        h = rng.choice([9, 9, 10, 10, 11, 13, 14, 14, 15, 16])
        m = rng.choice([0, 0, 15, 30, 45, 5, 20])
        return "%sT%02d:%02d:00" % (r["date"].isoformat(), h, m)
    return r["date"].isoformat()


def main():
    rng, rows = build()
    case_order = {c["crn"]: i for i, c in enumerate(CASES)}
    by_crn = {c["crn"]: c for c in CASES}

    # ---- two valid rows with empty notes (analysed, not quarantined)
    c = by_crn["X481172"]
    rows.append(dict(crn=c["crn"], day=24, date=c["_start"] + dt.timedelta(days=24), time=None,
                     type="COPT", notes="", author=officer_on(c, 24), office=c["office"],
                     kind="empty_note"))
    c = by_crn["D227610"]
    rows.append(dict(crn=c["crn"], day=60, date=c["_start"] + dt.timedelta(days=60), time=None,
                     type="Other Contact", notes="", author="Admin - M Rowe", office=c["office"],
                     kind="empty_note"))

    # ---- contact ids: increasing with time across the whole export
    rows.sort(key=lambda r: (r["date"], r["time"] or "", case_order[r["crn"]], r["notes"]))
    cid = 5120417
    for r in rows:
        cid += rng.randint(1, 37)
        r["contact_id"] = str(cid)
        r["contact_date"] = fmt_date(rng, r)

    # ---- bad rows (quarantine); each is an extra row that never affects gold
    bad = []

    def extra(crn, day, ctype, note, reason, contact_id=None, date_str=None, author=None, office=None):
        cc = by_crn.get(crn)
        if cc:
            day = weekday_back(cc["_start"], day)
        d = cc["_start"] + dt.timedelta(days=day) if cc else None
        nonlocal_cid[0] += rng.randint(1, 37)
        r = dict(crn=crn, day=day, date=d, time=None, type=ctype, notes=note,
                 author=author or (officer_on(cc, day) if cc else "Admin - P Shah"),
                 office=office or (cc["office"] if cc else "Leeds Merrion House"),
                 kind="bad", reason=reason,
                 contact_id=contact_id if contact_id is not None else str(nonlocal_cid[0]),
                 contact_date=date_str if date_str is not None else d.isoformat())
        rows.append(r)
        bad.append(r)
        return r

    nonlocal_cid = [cid]
    # 1. no crn
    extra("", 0, "", "Letter returned - not known at this address. Passed to OM.",
          "missing crn", date_str="2024-05-14", office="Leeds Merrion House")
    # 2. no contact_id
    extra("N774120", 40, "COPT", "Tel - PoP confirmed his new shift times at the depot. Nothing else.",
          "missing contact_id", contact_id="")
    # 3. duplicate contact_id (second occurrence in file order; the first is in X412337)
    first = [r for r in rows if r["crn"] == "X412337" and r["kind"] == "routine"][3]
    extra("X640811", 90, "", "Appt letter sent for next fortnight.",
          "duplicate contact_id (second occurrence of %s)" % first["contact_id"],
          contact_id=first["contact_id"])
    # 4-7. unparseable dates
    extra("X702266", 30, "COAP", "Seen. UPW 30/120. All fine.", "invalid date 2025-02-30 (no such day)",
          date_str="2025-02-30")
    extra("X933481", 35, "", "PoP rang reception to say he's running 10 mins late.",
          "unparseable date 'yesterday'", date_str="yesterday")
    extra("J770148", 30, "Other Contact", "Reparation hours updated: 2 of 6.", "empty contact_date",
          date_str="", author="YJS Admin - D Flynn")
    extra("X117298", 100, "", "Diary updated with UPW dates for next month.", "invalid date 2024-13-05 (month 13)",
          date_str="2024-13-05")

    # ---- file order: case by case, date order within a case; bad rows slotted in
    def sort_key(r):
        co = case_order.get(r["crn"], -1)
        return (co, r["date"] or dt.date(1900, 1, 1), r["contact_date"])
    rows.sort(key=sort_key)
    # keep the duplicate after its first occurrence (X640811 is after X412337 in case order)

    # ---- validation --------------------------------------------------------
    errors = []
    for tag, text, *rest in ROUTINE:
        check = re.sub(r"\bthe child\b", "", text, flags=re.I) if tag.startswith("y") else text
        m = FORBIDDEN.search(check)
        if m:
            errors.append("routine note has trigger word %r: %s" % (m.group(0), text[:60]))
        if tag in ("o", "p", "yo", "yp") and NON_ATTENDANCE.search(text):
            errors.append("completed routine note has non-attendance words: %s" % text[:60])
        if tag == "f" and not NON_ATTENDANCE.search(text):
            errors.append("FTA routine note lacks non-attendance words: %s" % text[:60])
    texts = [e[1] for e in ROUTINE]
    if len(set(texts)) != len(texts):
        errors.append("duplicate routine notes")
    if len(set(texts)) < 120:
        errors.append("routine pool too small: %d" % len(set(texts)))
    for c in CASES:
        for k in c["keys"]:
            comp_type = k["type"] in COMPLETED_CODES or k["type"] in COMPLETED_DESCRIPTIONS
            if comp_type and NON_ATTENDANCE.search(k["text"]) and not re.search(
                    r"FTA|attempted|Not seen|did not|didnt come", k["text"]):
                errors.append("%s key day %d: completed type with incidental non-attendance words" %
                              (c["crn"], k["day"]))

    gold_rows = []
    cl_report = {}
    for c in CASES:
        crn = c["crn"]
        level = c["rosh"]
        if not level:
            txt = " ".join(k["text"] for k in c["keys"])
            m = re.search(r"posing an? (low|medium|high|very high) risk of serious harm", txt)
            level = m.group(1) if m else ""
        for variant in ("good", "with_bad", "without_empty_notes"):
            include_bad = variant == "with_bad"
            comp = sorted({r["date"] for r in rows if r["crn"] == crn and
                           (include_bad or r["kind"] != "bad") and r["date"] is not None and
                           not (variant == "without_empty_notes" and r["kind"] == "empty_note") and
                           is_completed(r["type"], r["notes"])})
            gaps = [((b - a).days, a, b) for a, b in zip(comp, comp[1:])]
            worst = max(gaps) if gaps else (0, None, None)
            fires = bool(level) and worst[0] > MAX_INTERVAL[level]
            if variant == "good":
                cl_report[crn] = (level, worst, fires, len(comp))
            elif fires != cl_report[crn][2]:
                errors.append("%s: %s changes CONTACT_BELOW_RISK_LEVEL" % (crn, variant))
        level, worst, fires, n = cl_report[crn]
        wants = any(g == "CONTACT_BELOW_RISK_LEVEL" for g, _ in c["gold"])
        if fires != wants:
            errors.append("%s: CL fires=%s but gold says %s (level %r, worst %s)" %
                          (crn, fires, wants, level, worst[0]))
        for gap_id, reason in c["gold"]:
            if reason == "{CL}":
                reason = ("longest interval between completed contacts is %d days (%s to %s), "
                          "over the %d-day maximum for %s RoSH%s" %
                          (worst[0], worst[1].isoformat(), worst[2].isoformat(),
                           MAX_INTERVAL[level], level,
                           " (RoSH taken from the OASys note)" if not c["rosh"] else ""))
            reason = re.sub(r"\{d(\d+)\}",
                            lambda m: (c["_start"] + dt.timedelta(days=int(m.group(1)))).isoformat(),
                            reason)
            gold_rows.append((crn, gap_id, reason))
        c["_gold_ids"] = [g for g, _ in c["gold"]]
        c["_worst"] = worst
        c["_level"] = level

    crn_re = re.compile(r"^[A-Z]\d{6}$")
    for c in CASES:
        if not crn_re.match(c["crn"]) and c["crn"] != "T10294":
            errors.append("bad crn shape %s" % c["crn"])
    ids = [r["contact_id"] for r in rows if r["kind"] != "bad"]
    if len(ids) != len(set(ids)):
        errors.append("duplicate contact ids among good rows")
    for r in rows:
        if r["kind"] != "bad" and not (dt.date(2023, 1, 1) <= r["date"] <= dt.date(2025, 12, 31)):
            errors.append("date out of range %s %s" % (r["crn"], r["date"]))
        if r["kind"] != "bad" and r["date"].weekday() >= 5:
            errors.append("weekend date %s %s %s %s" % (r["crn"], r["date"], r["type"], r["notes"][:40]))
    if errors:
        print("VALIDATION FAILED:")
        for e in errors:
            print("  -", e)
        sys.exit(1)

    # ---- write files ---------------------------------------------------------
    with open(os.path.join(HERE, "contacts.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["crn", "contact_id", "contact_date", "contact_type", "notes", "author", "office"])
        for r in rows:
            w.writerow([r["crn"], r["contact_id"], r["contact_date"], r["type"], r["notes"],
                        r["author"], r["office"]])
    with open(os.path.join(HERE, "cases.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["crn", "rosh", "service", "team", "officer", "registers"])
        for c in CASES:
            w.writerow([c["crn"], c["rosh"], c["service"], c["team"], c["officers"][-1][1],
                        c["registers"]])
    with open(os.path.join(HERE, "gold_gaps.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["crn", "gap_id", "reason"])
        for g in gold_rows:
            w.writerow(g)
    write_readme(rows, bad, gold_rows, cl_report)

    # ---- summary ---------------------------------------------------------------
    print("cases:", len(CASES))
    print("rows:", len(rows), "(bad:", len(bad), ")")
    print("gold rows:", len(gold_rows))
    counts = {}
    for _, g, _ in gold_rows:
        counts[g] = counts.get(g, 0) + 1
    for g in sorted(counts):
        print("  %-30s %d" % (g, counts[g]))


GAP_IDS = ["CHILD_NO_SAFEGUARDING_CHECK", "PARTNER_NO_DA_CHECK", "NEW_RELATIONSHIP_NO_RESPONSE",
           "SUBSTANCE_NO_RESPONSE", "AGGRESSION_NO_RISK_REVIEW", "SELF_HARM_NO_RESPONSE",
           "VICTIM_ORDER_NO_MONITORING", "AGENCY_NO_LIAISON", "NO_HOME_VISIT",
           "REALLOCATION_NO_REVIEW", "CONTACT_BELOW_RISK_LEVEL", "RISK_ESCALATION_NO_OVERSIGHT"]


def write_readme(rows, bad, gold_rows, cl_report):
    n_rows = len(rows)
    counts = {g: 0 for g in GAP_IDS}
    for _, g, _ in gold_rows:
        counts[g] += 1
    L = []
    L.append("# Synthetic sample: nDelius case notes with known gaps\n")
    L.append("Generated by `build_sample.py` (stdlib only, fixed seed %d); rerun it to rebuild "
             "`contacts.csv`, `cases.csv`, `gold_gaps.csv` and this README. Everything here is "
             "fictional.\n" % SEED)
    L.append("- `contacts.csv`: %d rows (%d of them deliberately bad, see below), %d cases, "
             "columns `crn, contact_id, contact_date, contact_type, notes, author, office` "
             "(`office` is an extra column to carry through). Notes contain real newlines, "
             "pasted e-mails, HTML entities, Unicode and one pasted MAPPA minute of %d characters.\n"
             % (n_rows, len(bad), len(CASES), len(MAPPA_MINUTES)))
    L.append("- `cases.csv`: one row per case; `rosh` empty for 3 cases (two state it in an OASys note, "
             "one never does); %d youth cases.\n" % sum(1 for c in CASES if c["service"] == "youth"))
    L.append("- `gold_gaps.csv`: the gaps each case should raise under SPEC section 4 "
             "(%d rows; cases without a row should raise nothing).\n" % len(gold_rows))
    L.append("## Gold rows per gap id\n")
    L.append("| gap_id | gold rows |\n|---|---|")
    for g in GAP_IDS:
        L.append("| `%s` | %d |" % (g, counts[g]))
    L.append("")
    L.append("## Design rules used for the gold file\n")
    L.append("- Routine notes come from a pool of %d handwritten neutral notes. The build fails if one "
             "contains a trigger or response word (children, partners, substances, aggression, "
             "agencies, reviews, risk, home visits...). So every gap comes from a key note.\n"
             % len(ROUTINE))
    L.append("- **CONTACT_BELOW_RISK_LEVEL** uses the brief's policy. A completed contact is a type in "
             "COAI, COAP, COPT, COVC, COUP, CTOA, CTOB, CHVS, COHV, CODC, C253, IOHV (or the "
             "descriptions `Planned Office Visit (NS)`, `Planned Telephone Contact (NS)`, "
             "`Home Visit to Case (NS)`) whose note does not record non-attendance (FTA, did not "
             "attend, no answer, not seen, attempted, cancelled, rearranged). The longest interval "
             "between consecutive completed contacts must not exceed 7/14/28 days (high and very "
             "high/medium/low). The build checks this for every case with a RoSH, including the two "
             "whose RoSH comes from a note. Quarantined rows do not change the result.\n")
    L.append("- Wherever the spec is open to more than one reading, the case gives the response anyway, "
             "so the gold does not depend on that reading. Examples: every case that mentions a "
             "partner or a child has a completed home visit unless NO_HOME_VISIT is the point of the "
             "case; youth cases with welfare concerns have a home visit; a youth case's own "
             "'the child' is the person on supervision, not a CHILD trigger.\n")
    L.append("- Judgement call: PARTNER_NO_DA_CHECK has no 'after' in SPEC section 4, so in `X845520` "
             "the police DA check on the ex-partner, made before the new relationship, closes "
             "PARTNER. Only NEW_RELATIONSHIP_NO_RESPONSE fires there, because it needs a response "
             "*after* the disclosure.\n")
    L.append("- Boundary: an interval exactly at the maximum does not fire (the rule says *exceeds*). "
             "Several non-gap cases sit exactly on it: 7 days for high, 14 for medium.\n")
    clean = [c["crn"] for c in CASES if not c["_gold_ids"]]
    L.append("- %d cases should raise no gap at all: %s.\n" % (len(clean), ", ".join("`%s`" % x for x in clean)))
    L.append("## Cases\n")
    L.append("| crn | service / RoSH | scenario | expected gaps | traps (must not fire / must not close) |")
    L.append("|---|---|---|---|---|")
    for c in CASES:
        rosh = c["rosh"] or ("(empty; note says %s)" % c["_level"] if c["_level"] else "(empty, unknown)")
        gaps = ", ".join("`%s`" % g for g in c["_gold_ids"]) or "none"
        worst = c["_worst"][0]
        L.append("| `%s` | %s / %s | %s (longest contact interval %d d) | %s | %s |" %
                 (c["crn"], c["service"], rosh, c["scenario"], worst, gaps, c["traps"] or "-"))
    L.append("")
    L.append("## Bad rows (should go to quarantine)\n")
    L.append("| crn | contact_id | contact_date | reason |\n|---|---|---|---|")
    for r in bad:
        L.append("| %s | %s | %s | %s |" % (r["crn"] or "(empty)", r["contact_id"] or "(empty)",
                                             r["contact_date"] or "(empty)", r["reason"]))
    L.append("")
    L.append("Every bad row is an extra row whose content changes no gold result. Also present and "
             "**valid** (to be analysed, not quarantined): two rows with empty `notes` (a COPT in "
             "`X481172`, an `Other Contact` in `D227610`) and the whole case `T10294`, whose CRN has "
             "an unusual shape (letter + 5 digits).\n")
    L.append("Expected manifest: rows read %d, quarantined %d, analysed %d.\n" %
             (n_rows, len(bad), n_rows - len(bad)))
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(L))


if __name__ == "__main__":
    main()
