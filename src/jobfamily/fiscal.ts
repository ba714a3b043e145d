/**
 * Fiscal quarters. A fiscal year is named by the calendar year in which it ends (GitLab's convention:
 * with a February start, FY27 runs from February 2026 to January 2027). All arithmetic is in UTC so a
 * worker's time zone never moves a date into another quarter.
 */

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface FiscalQuarter {
  /** The fiscal year, e.g. 2027 for FY27. */
  year: number;
  quarter: QuarterNumber;
  /** `FY27-Q4`. */
  label: string;
  /** First day of the quarter, 00:00 UTC. */
  start: Date;
  /** Last day of the quarter (inclusive), 00:00 UTC. */
  end: Date;
}

export function fiscalQuarter(date: Date, fiscalYearStartMonth: number): FiscalQuarter {
  if (!Number.isInteger(fiscalYearStartMonth) || fiscalYearStartMonth < 1 || fiscalYearStartMonth > 12) {
    throw new RangeError(`fiscalYearStartMonth must be an integer from 1 to 12, got ${fiscalYearStartMonth}`);
  }
  if (Number.isNaN(date.getTime())) throw new RangeError('fiscalQuarter needs a valid date');

  const startIndex = fiscalYearStartMonth - 1;
  const month = date.getUTCMonth();
  const startYear = month >= startIndex ? date.getUTCFullYear() : date.getUTCFullYear() - 1;
  const monthsIn = (month - startIndex + 12) % 12;
  const quarter = (Math.floor(monthsIn / 3) + 1) as QuarterNumber;
  // The year ends 11 months after it starts: in the same calendar year only when it starts in January.
  const year = fiscalYearStartMonth === 1 ? startYear : startYear + 1;

  const firstMonth = startIndex + (quarter - 1) * 3;
  // Date.UTC normalizes month overflow (13 → next January) and day 0 (→ last day of the previous month).
  const start = new Date(Date.UTC(startYear, firstMonth, 1));
  const end = new Date(Date.UTC(startYear, firstMonth + 3, 0));
  return { year, quarter, label: `FY${String(year % 100).padStart(2, '0')}-Q${quarter}`, start, end };
}

/** `YYYY-MM-DD` of a date in UTC (GitLab's `due_date` format). */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
