import { describe, expect, it } from 'vitest';
import { fiscalQuarter, isoDate } from '../../src/jobfamily/fiscal.js';

const at = (iso: string) => new Date(iso);
const summary = (iso: string, startMonth: number) => {
  const q = fiscalQuarter(at(iso), startMonth);
  return { label: q.label, year: q.year, quarter: q.quarter, start: isoDate(q.start), end: isoDate(q.end) };
};

describe('fiscalQuarter (year named by the calendar year it ends in)', () => {
  it('puts November 2026 in FY27-Q4 with a February start, ending 2027-01-31', () => {
    expect(summary('2026-11-15T12:00:00Z', 2)).toEqual({
      label: 'FY27-Q4',
      year: 2027,
      quarter: 4,
      start: '2026-11-01',
      end: '2027-01-31',
    });
  });

  it('handles the edge months of a February year', () => {
    expect(summary('2026-02-01T00:00:00Z', 2)).toMatchObject({ label: 'FY27-Q1', start: '2026-02-01', end: '2026-04-30' });
    expect(summary('2026-01-31T23:59:59.999Z', 2)).toMatchObject({ label: 'FY26-Q4', start: '2025-11-01', end: '2026-01-31' });
    expect(summary('2026-04-30T23:59:59Z', 2)).toMatchObject({ label: 'FY27-Q1' });
    expect(summary('2026-05-01T00:00:00Z', 2)).toMatchObject({ label: 'FY27-Q2', start: '2026-05-01', end: '2026-07-31' });
    expect(summary('2026-10-31T00:00:00Z', 2)).toMatchObject({ label: 'FY27-Q3', start: '2026-08-01', end: '2026-10-31' });
    expect(summary('2027-01-15T00:00:00Z', 2)).toMatchObject({ label: 'FY27-Q4' });
  });

  it('uses UTC, not the local time zone', () => {
    // 23:30 in New York on 31 January is already February in UTC.
    expect(fiscalQuarter(at('2026-01-31T23:30:00-05:00'), 2).label).toBe('FY27-Q1');
  });

  it('with a January start, the fiscal year is the calendar year', () => {
    expect(summary('2026-01-01T00:00:00Z', 1)).toEqual({
      label: 'FY26-Q1',
      year: 2026,
      quarter: 1,
      start: '2026-01-01',
      end: '2026-03-31',
    });
    expect(summary('2026-12-31T23:59:59Z', 1)).toEqual({
      label: 'FY26-Q4',
      year: 2026,
      quarter: 4,
      start: '2026-10-01',
      end: '2026-12-31',
    });
  });

  it('handles other start months, including December and leap years', () => {
    expect(summary('2026-12-01T00:00:00Z', 12)).toMatchObject({ label: 'FY27-Q1', start: '2026-12-01', end: '2027-02-28' });
    expect(summary('2027-11-30T00:00:00Z', 12)).toMatchObject({ label: 'FY27-Q4', start: '2027-09-01', end: '2027-11-30' });
    expect(summary('2024-01-10T00:00:00Z', 12)).toMatchObject({ label: 'FY24-Q1', end: '2024-02-29' });
    expect(summary('2026-06-30T00:00:00Z', 7)).toMatchObject({ label: 'FY26-Q4', start: '2026-04-01', end: '2026-06-30' });
    expect(summary('2026-07-01T00:00:00Z', 7)).toMatchObject({ label: 'FY27-Q1' });
  });

  it('pads two-digit years', () => {
    expect(fiscalQuarter(at('2008-03-01T00:00:00Z'), 2).label).toBe('FY09-Q1');
  });

  it('rejects invalid arguments', () => {
    expect(() => fiscalQuarter(at('2026-01-01T00:00:00Z'), 0)).toThrow(RangeError);
    expect(() => fiscalQuarter(at('2026-01-01T00:00:00Z'), 13)).toThrow(RangeError);
    expect(() => fiscalQuarter(at('2026-01-01T00:00:00Z'), 2.5)).toThrow(RangeError);
    expect(() => fiscalQuarter(new Date(Number.NaN), 2)).toThrow(RangeError);
  });
});
