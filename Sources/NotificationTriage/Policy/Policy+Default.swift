// The built-in default policy: byte-for-byte the shipped thresholds.yaml (a test checks).
// After editing thresholds.yaml, paste it between the delimiters below.

let defaultPolicyText = #"""
    # NotificationTriage default policy: screening police domestic-abuse notifications in England.
    #
    # Every rule below names the practice it encodes (see the README's "The policy file" section).
    # Change a threshold here, run `triage validate thresholds.yaml`, then `triage compare` to see what the
    # change does to each agency's workload before you adopt it.
    version: 1
    name: default-england
    timezone: Europe/London

    calendar:
      school_day_start: "08:30"           # Operation Encompass: the key adult knows before the school day
      school_days: [mon, tue, wed, thu, fri]
      working_day_end: "17:00"
      working_days: [mon, tue, wed, thu, fri]
      bank_holidays:                      # England and Wales, 2025-2027 (gov.uk/bank-holidays)
        - 2025-01-01  # New Year's Day
        - 2025-04-18  # Good Friday
        - 2025-04-21  # Easter Monday
        - 2025-05-05  # Early May bank holiday
        - 2025-05-26  # Spring bank holiday
        - 2025-08-25  # Summer bank holiday
        - 2025-12-25  # Christmas Day
        - 2025-12-26  # Boxing Day
        - 2026-01-01  # New Year's Day
        - 2026-04-03  # Good Friday
        - 2026-04-06  # Easter Monday
        - 2026-05-04  # Early May bank holiday
        - 2026-05-25  # Spring bank holiday
        - 2026-08-31  # Summer bank holiday
        - 2026-12-25  # Christmas Day
        - 2026-12-28  # Boxing Day (substitute day)
        - 2027-01-01  # New Year's Day
        - 2027-03-26  # Good Friday
        - 2027-03-29  # Easter Monday
        - 2027-05-03  # Early May bank holiday
        - 2027-05-31  # Spring bank holiday
        - 2027-08-30  # Summer bank holiday
        - 2027-12-27  # Christmas Day (substitute day)
        - 2027-12-28  # Boxing Day (substitute day)
      school_closures: []
      # An area adds its school holidays and training days, for example:
      # school_closures:
      #   - {from: 2026-07-22, to: 2026-09-02}   # summer holiday
      #   - 2026-11-27                           # training day

    history:
      window_days: 365                    # repeats are counted over a rolling 12 months
      half_life_days: 180                 # an incident's weight halves every 180 days
      near_miss_score_margin: 4           # report scores this close to a threshold as near misses
      late_days: 90                       # an incident up to 90 days behind the latest still finds all its history
      remember_ids_days: 730              # re-sent incident ids are recognised for two years
      weights:
        dash_risk: {standard: 1, medium: 4, high: 10}
        flags:
          strangulation: 5
          child_injured: 5
          weapon: 3
          threats_to_kill: 3
          injury: 2
          substance_misuse: 2
          mental_health: 2
          breach_of_order: 2

    destinations:
      - id: school
        description: the designated safeguarding lead of the child's school (Operation Encompass)
        deadline: next_school_day
        fields: [incident_id, occurred_at, child_id, child_name, child_dob, child_present, child_school_urn]
      - id: education_officer
        description: the local authority's education officer, told instead of a school about a child educated at home or in no education
        deadline: next_school_day
        fields: [incident_id, occurred_at, postcode, child_id, child_name, child_dob, child_present, child_education]
      - id: health_visitor
        description: the health visiting team (children under 5, and pregnancy)
        deadline: {working_days: 1}
        fields: [incident_id, occurred_at, postcode, victim_id, victim_name, victim_dob, victim_pregnant, dash_risk,
                 child_id, child_name, child_dob, child_present]
      - id: midwifery
        description: the midwifery safeguarding team (pregnant victims)
        deadline: {working_days: 1}
        fields: [incident_id, occurred_at, postcode, victim_id, victim_name, victim_dob, victim_pregnant, dash_risk]
      - id: social_care
        description: children's social care through the MASH, rated red, amber or green
        deadline:
          red: {hours: 4}
          amber: {working_days: 1}
          green: {working_days: 3}
        fields: all
      - id: marac
        description: the multi-agency risk assessment conference coordinator
        deadline: {working_days: 1}
        fields: all

    rules:
      - id: encompass
        description: every child under 18 with a known school is notified to the school, present or not
        scope: child
        when: {fact: child.school_urn, present: true}
        route: school

      - id: education-unknown
        description: a child of school age with no known school, and not recorded as home educated or out of education, is referred to find out where they learn
        scope: child
        when:
          all:
            - {fact: child.age, between: [5, 17]}
            - {fact: child.school_urn, absent: true}
            - not: {fact: child.education, in: [ehe, none]}
        route: social_care
        priority: green

      - id: home-educated
        description: a child of school age recorded as electively home educated is notified to the local authority's education officer, as a school would be (Operation Encompass)
        scope: child
        when:
          all:
            - {fact: child.age, between: [5, 17]}
            - {fact: child.education, eq: ehe}
        route: education_officer

      - id: missing-education
        description: a child of school age recorded as in no education is notified to the local authority's children-missing-education officer
        scope: child
        when:
          all:
            - {fact: child.age, between: [5, 17]}
            - {fact: child.education, eq: none}
        route: education_officer

      - id: unknown-age-and-education
        description: a child with no usable date of birth and no known school is referred so that someone finds out who they are and where they learn
        scope: child
        when:
          all:
            - {fact: child.age, absent: true}
            - {fact: child.school_urn, absent: true}
        route: social_care
        priority: green

      - id: under-5
        description: every child aged 0 to 4 is notified to the health visitor
        scope: child
        when: {fact: child.age, between: [0, 4]}
        route: health_visitor

      - id: pregnancy
        description: a pregnant victim is notified to midwifery and the health visitor (antenatal contact)
        when: {fact: victim.pregnant, eq: true}
        route: [midwifery, health_visitor]

      - id: pre-birth
        description: a pregnant victim with high risk, substance misuse, mental ill-health or a repeat incident is considered for a pre-birth assessment
        when:
          all:
            - {fact: victim.pregnant, eq: true}
            - any:
                - {fact: dash_risk, eq: high}
                - {fact: flags, has: substance_misuse}
                - {fact: flags, has: mental_health}
                - {fact: victim.incidents, gte: 2}
        route: social_care
        priority: amber

      - id: child-injured
        description: an injured child is referred to social care at once
        scope: child
        when:
          any:
            - {fact: child.injured, eq: true}
            - {fact: flags, has: child_injured}
        route: social_care
        priority: red

      - id: infant-harm
        description: a baby under 12 months in an incident with injury, a weapon or strangulation needs an urgent response (non-mobile babies need an urgent paediatric opinion)
        scope: child
        when:
          all:
            - {fact: child.age_months, lt: 12}
            - any:
                - {fact: flags, has: injury}
                - {fact: flags, has: weapon}
                - {fact: flags, has: strangulation}
        route: social_care
        priority: red

      - id: high-risk-child-present
        description: a high-risk incident with a child present is referred to social care at once
        when:
          all:
            - {fact: dash_risk, eq: high}
            - {fact: children_present, gte: 1}
        route: social_care
        priority: red

      - id: high-risk-children
        description: a high-risk incident with children linked is referred to social care
        when:
          all:
            - {fact: dash_risk, eq: high}
            - {fact: children, gte: 1}
        route: social_care
        priority: amber

      - id: medium-risk-child-present
        description: a medium-risk incident with a child present is referred to social care
        when:
          all:
            - {fact: dash_risk, eq: medium}
            - {fact: children_present, gte: 1}
        route: social_care
        priority: amber

      - id: repeat-child
        description: a child linked to 3 or more incidents in 12 months, across any address or adult, is referred to social care
        scope: child
        when: {fact: child.incidents, gte: 3}
        route: social_care
        priority: amber

      - id: repeat-household
        description: a household with children and 3 or more incidents in 12 months is referred to social care
        when:
          all:
            - {fact: children, gte: 1}
            - {fact: household.incidents, gte: 3}
        route: social_care
        priority: amber

      - id: cumulative-risk
        description: a household with children whose decayed cumulative risk score reaches 20 is referred to social care
        when:
          all:
            - {fact: children, gte: 1}
            - {fact: household.score, gte: 20}
        route: social_care
        priority: amber

      - id: toxic-trio
        description: children living with domestic abuse, substance misuse and mental ill-health together are referred to social care
        when:
          all:
            - {fact: children, gte: 1}
            - {fact: flags, has: [substance_misuse, mental_health]}
        route: social_care
        priority: amber

      - id: serial-perpetrator
        description: children linked to a perpetrator who has abused 2 or more victims in 12 months are referred to social care
        when:
          all:
            - {fact: children, gte: 1}
            - {fact: perpetrator.victims, gte: 2}
        route: social_care
        priority: amber

      - id: second-incident-early-help
        description: a second standard-risk incident in 12 months with a child present is considered for early help
        when:
          all:
            - {fact: dash_risk, eq: standard}
            - {fact: children_present, gte: 1}
            - {fact: household.incidents, eq: 2}
        route: social_care
        priority: green

      - id: marac-high-risk
        description: a high-risk grading or a DASH score of 14 or more goes to MARAC (visible high risk)
        when:
          any:
            - {fact: dash_risk, eq: high}
            - {fact: dash_score, gte: 14}
        route: marac

      - id: marac-judgement
        description: strangulation, threats to kill, a weapon or the officer's professional judgement go to MARAC whatever the score
        when:
          any:
            - {fact: flags, has: strangulation}
            - {fact: flags, has: threats_to_kill}
            - {fact: flags, has: weapon}
            - {fact: flags, has: professional_judgement}
        route: marac

      - id: marac-escalation
        description: 3 or more incidents between the same victim and perpetrator in 12 months go to MARAC (potential escalation)
        when: {fact: pair.incidents, gte: 3}
        route: marac

      - id: marac-repeat
        description: any further incident within 12 months of the pair's last MARAC referral goes back to MARAC (repeat)
        when: {fact: pair.marac_referrals, gte: 1}
        route: marac

      - id: marac-victim-repeat
        description: with no perpetrator recorded, 3 or more incidents for the same victim in 12 months go to MARAC (escalation cannot be seen through the pair)
        when:
          all:
            - {fact: perpetrator.recorded, eq: false}
            - {fact: victim.incidents, gte: 3}
        route: marac

    screened_out_reason: no child or pregnancy linked; below MARAC thresholds

    """#
