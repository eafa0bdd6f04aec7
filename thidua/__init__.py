"""thidua — thi đua, khen thưởng: emulation groups, covenants, scoring, ballots, awards, documents."""
