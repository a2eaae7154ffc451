"""An independent generator of canonical triage CSV, for the peers race (issue 16):
python3 independent_generator.py --incidents N --seed S --output FILE

Written from the input schema in README.md only, not from `triage generate`, so that the race also runs on data
whose shape we did not choose for ourselves: households drawn from a pool about twice the number of incidents
(fewer repeats, about 0.8 distinct households per incident), a child on about 45% of incidents, perpetrators
sometimes linked to victims in several households, DASH risk about 60/30/10, messy but valid values (names
that need CSV quoting, non-ASCII names, booleans written several ways, unknown flags, households known only by
UPRN or by postcode). N incidents span max(1, N / 1,000,000) years (rounded up) ending on 2025-12-31.
Deterministic: the same arguments give the same bytes."""
import argparse
import csv
import math
import random
from datetime import date, timedelta

COLUMNS = ("incident_id,occurred_at,uprn,postcode,household_id,victim_id,victim_name,victim_dob,victim_pregnant,"
           "perpetrator_id,perpetrator_name,perpetrator_dob,relationship,dash_risk,dash_score,flags,child_id,"
           "child_name,child_dob,child_present,child_school_urn,child_injured").split(",")

FEMALE = ("Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Emily Poppy Ella Evie Charlotte Aisha "
          "Fatima Zoë Siobhán Niamh Chloé Agnieszka Oksana Priya Amira Jessica Sarah Hannah Laura Rebecca Megan "
          "Leah Kayleigh Bethany Danielle Gemma Nicola Joanne").split()
MALE = ("Oliver George Noah Arthur Muhammad Leo Harry Oscar Archie Henry Jack Charlie Jacob Thomas James William "
        "Łukasz Mateusz Darius Kieran Connor Liam Ryan Jamie Daniel Lee Craig Wayne Dean Shane Aaron Tomás "
        "Mohammed Ali Reece Callum Bradley Nathan Scott Gary").split()
SURNAMES = ("Smith Jones Taylor Brown Williams Wilson Johnson Davies Patel Robinson Wright Thompson Evans Walker "
            "White Roberts Green Hall Thomas Clarke Jackson Wood Harris Edwards Turner Martin Cooper Hill Ward "
            "Hughes Moore Clark King Harrison Lewis Baker Lee Allen Morris Khan Begum Hussain Ahmed Kowalski "
            "Nowak O'Brien O'Connor McDonald Murphy Doherty Smith-Jones Fernández Müller Nguyen Okafor Mensah "
            "Bailey Price Kelly Shaw").split()
AREAS = ("NN NG LE DE PE MK CV B WS WV DY ST S SK M OL BL WN L CH WA CW LN DN HU YO LS BD HX HD WF").split()
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# Relationship of the perpetrator to the victim, per household, as the schema names them.
RELATIONSHIPS = (("partner", 45), ("ex_partner", 30), ("parent", 7), ("child", 7), ("sibling", 4),
                 ("other_family", 5), ("other", 2))
# Flags with their chance on a standard / medium / high incident (schema order); two unknown flags are kept.
FLAGS = (("weapon", .03, .08, .20), ("injury", .15, .30, .45), ("strangulation", .01, .05, .20),
         ("threats_to_kill", .02, .07, .20), ("substance_misuse", .15, .22, .30), ("mental_health", .12, .15, .20),
         ("breach_of_order", .03, .06, .12), ("professional_judgement", .005, .02, .08),
         ("coercive_control", .04, .08, .15), ("stalking", .02, .04, .08))
# Ways a force export writes true / false: one per incident (and its rows).
BOOLEANS = (("true", "false"), ("yes", "no"), ("Y", "N"), ("1", "0"), ("TRUE", ""), ("y", ""))


def cumulative(weighted):
    total, out = 0, []
    for value, weight in weighted:
        total += weight
        out.append((total, value))
    return total, out


def pick(rng, table):
    total, entries = table
    x = rng.random() * total
    for bound, value in entries:
        if x < bound:
            return value
    return entries[-1][1]


REL_TABLE = cumulative(RELATIONSHIPS)
KIDS_TABLE = cumulative(((1, 45), (2, 32), (3, 15), (4, 8)))
# Incidents per hour of the day (UTC-ish): evenings and nights are busiest.
HOUR_TABLE = cumulative(tuple((h, w) for h, w in enumerate(
    (6, 5, 4, 3, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8, 9, 9, 8, 7))))


def person_name(rng, female):
    first = rng.choice(FEMALE if female else MALE)
    last = rng.choice(SURNAMES)
    r = rng.random()
    if r < 0.03:
        return f"{last.upper()}, {first}"  # needs quoting
    if r < 0.035:
        return f'{first} "{rng.choice(("Jay", "Bex", "Moz"))}" {last}'  # quotes inside a quoted field
    return f"{first} {last}"


def format_dob(day, spreadsheet):
    return day.strftime("%d/%m/%Y") if spreadsheet else day.isoformat()


def bst_bounds(year):
    """UTC seconds when British Summer Time starts and ends in a year (last Sundays of March and October, 01:00 UTC)."""
    def last_sunday(month):
        d = date(year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)
    epoch = date(1970, 1, 1)
    return tuple((last_sunday(m) - epoch).days * 86400 + 3600 for m in (3, 10))


class Household:
    """What stays the same across one household's incidents, drawn from its own seeded generator so that it
    needs no memory: identity columns, victim, usual perpetrator, relationship, children."""
    __slots__ = ("uprn", "postcode", "household_id", "victims", "perpetrator", "relationship", "children")

    def __init__(self, seed, index, first_day, last_day, serial_pool):
        rng = random.Random(seed * 1_000_003 + index)
        style = rng.random()
        uprn = str(10_000_000_000 + rng.randrange(90_000_000_000))
        area = rng.choice(AREAS)
        postcode = (f"{area}{rng.randrange(1, 30)} {rng.randrange(10)}"
                    f"{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}")
        # Which identity columns this force's export fills for the household.
        if style < 0.62:
            self.household_id, self.uprn, self.postcode = f"HH{index:09d}", uprn, postcode
        elif style < 0.86:
            self.household_id, self.uprn, self.postcode = "", uprn, postcode
        elif style < 0.97:
            self.household_id, self.uprn, self.postcode = "", "", postcode
        else:
            self.household_id, self.uprn, self.postcode = f"HH{index:09d}", "", ""
        victims = []
        for k in range(2):  # the usual victim, and another adult who is sometimes the victim
            female = rng.random() < (0.85 if k == 0 else 0.5)
            age_days = rng.randrange(16 * 365 + 5, 70 * 365)
            dob = first_day - timedelta(days=age_days)
            victims.append((f"V{index}{'ab'[k]}", person_name(rng, female), dob,
                            female and age_days < 44 * 365))
        self.victims = victims
        if rng.random() < 0.1:
            self.perpetrator = serial_pool(rng.randrange(serial_pool.size))
        else:
            female = rng.random() < 0.15
            self.perpetrator = (f"O{index}", person_name(rng, female),
                                first_day - timedelta(days=rng.randrange(16 * 365 + 5, 72 * 365)))
        self.relationship = pick(rng, REL_TABLE)
        children = []
        if rng.random() < 0.47:
            span = (last_day - first_day).days
            for k in range(pick(rng, KIDS_TABLE)):
                # Ages 0-17 when the period starts, a few born during it.
                dob = first_day - timedelta(days=rng.randrange(-span // 3, 18 * 365))
                urn = str(100000 + rng.randrange(900000)) if rng.random() < 0.8 else ""
                children.append((f"C{index}-{k + 1}", person_name(rng, rng.random() < 0.5), dob,
                                 dob.toordinal(), urn))
        self.children = children


class SerialPool:
    """Perpetrators who appear in several households (they have several victims)."""

    def __init__(self, seed, size, first_day):
        self.seed, self.size, self.first_day = seed, size, first_day

    def __call__(self, k):
        rng = random.Random(self.seed * 7_777_777 + k)
        return (f"S{k}", person_name(rng, rng.random() < 0.1),
                self.first_day - timedelta(days=rng.randrange(18 * 365, 60 * 365)))


def generate(incidents, seed, output):
    rng = random.Random(seed)
    years = math.ceil(max(1, incidents / 1_000_000))
    first_day, end_day = date(2026 - years, 1, 1), date(2026, 1, 1)
    last_day = end_day - timedelta(days=1)
    epoch = date(1970, 1, 1)
    start_s = (first_day - epoch).days * 86400
    days = (end_day - first_day).days
    # Incident instants (UTC seconds), in time order as an export is; evenings busier than mornings.
    times = sorted(start_s + rng.randrange(days) * 86400 + pick(rng, HOUR_TABLE) * 3600 + rng.randrange(3600)
                   for _ in range(incidents))
    # The last hour of 31 December may run past the end in local time only under BST, which December never is.
    bst = {y: bst_bounds(y) for y in range(first_day.year, end_day.year + 1)}
    day_text = {}
    pool = max(1000, int(incidents * 2.2))
    serial_pool = SerialPool(seed, max(10, incidents // 60), first_day)
    risk_table = cumulative((("standard", 60), ("medium", 30), ("high", 10)))
    writer_file = open(output, "w", newline="", encoding="utf-8", buffering=1 << 20)
    writer = csv.writer(writer_file, lineterminator="\n")
    writer.writerow(COLUMNS)
    rows = []
    random_ = rng.random
    for seq, t in enumerate(times, 1):
        day_index = t // 86400
        year = (epoch + timedelta(days=day_index)).year if day_index not in day_text else day_text[day_index][1]
        start_bst, end_bst = bst[year]
        offset = 3600 if start_bst <= t < end_bst else 0
        local = t + offset
        local_day = local // 86400
        entry = day_text.get(local_day)
        if entry is None:
            d = epoch + timedelta(days=local_day)
            entry = day_text[local_day] = (d.isoformat(), d.year, d.toordinal())
        s = local % 86400
        occurred = (f"{entry[0]}T{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
                    f"{'+01:00' if offset else '+00:00'}")
        hh = Household(seed, rng.randrange(pool), first_day, last_day, serial_pool)
        victim_id, victim_name, victim_dob, can_be_pregnant = hh.victims[0 if random_() < 0.9 else 1]
        perp_id, perp_name, perp_dob = hh.perpetrator
        yes, no = BOOLEANS[rng.randrange(len(BOOLEANS))]
        spreadsheet = random_() < 0.2  # this export writes dates of birth as DD/MM/YYYY (children's stay ISO)
        pregnant = can_be_pregnant and random_() < 0.08
        risk = pick(rng, risk_table)
        level = 1 if risk == "standard" else 2 if risk == "medium" else 3
        if random_() < 0.45:
            r = random_()
            if level == 1:
                score = rng.randint(0, 9) if r < 0.97 else rng.randint(10, 15)
            elif level == 2:
                score = rng.randint(8, 13) if r < 0.9 else rng.randint(14, 16)
            else:
                score = rng.randint(14, 27) if r < 0.85 else rng.randint(5, 13)
            score = str(score)
        else:
            score = ""
        flags = [name for name, *p in FLAGS if random_() < p[level - 1]]
        # Children living in the household and under 18 on the day; each is on the notification 9 times in 10.
        today = entry[2]
        kids = []
        injured_any = False
        for child_id, child_name, child_dob, dob_ord, urn in hh.children:
            age = (today - dob_ord) / 365.2425
            if age < 0 or age >= 17.98 or random_() >= 0.9:
                continue
            injured = random_() < 0.03
            injured_any |= injured
            kids.append((child_id, child_name, child_dob.isoformat(), yes if random_() < 0.6 else no,
                         urn if 4 <= age < 16.9 else "", yes if injured else no))
        if pregnant and random_() < 0.25:
            # The unborn child is sometimes listed, with no date of birth yet.
            kids.append((f"U{seq}", "Unborn", "", no, "", no))
        if injured_any:
            flags.append("child_injured")
        incident = (f"DA/{entry[1] % 100:02d}/{seq:08d}", occurred, hh.uprn, hh.postcode, hh.household_id,
                    victim_id, victim_name, format_dob(victim_dob, spreadsheet), yes if pregnant else no,
                    perp_id, perp_name, format_dob(perp_dob, spreadsheet), hh.relationship, risk, score,
                    ";".join(flags))
        if kids:
            for kid in kids:
                rows.append(incident + kid)
        else:
            rows.append(incident + ("", "", "", "", "", ""))
        if len(rows) >= 20000:
            writer.writerows(rows)
            rows.clear()
    writer.writerows(rows)
    writer_file.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()
    generate(args.incidents, args.seed, args.output)


if __name__ == "__main__":
    main()
