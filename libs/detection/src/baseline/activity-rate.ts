import { TIME } from '../detection-config.js';
import { draft, type EventContext } from '../engine/detection-context.js';
import type { SubjectState } from '../engine/detection-state.js';
import { isoMinute, round } from '../facts-format.js';

/**
 * Activity rate per hour (event time). Each subject's events are counted in hour buckets;
 * a bucket is folded into the subject's rate baseline (mean, spread and busiest hour of its
 * active hours) once the watermark has passed its end, so late events still land in their
 * hour. A spike is an hour whose count reaches the larger of an absolute floor, a multiple
 * of the busiest hour so far, and the mean plus several standard deviations: one heavy
 * afternoon does not make a spike, a script enumerating the account does.
 */
export function foldClosedHours(s: SubjectState, watermark: number): void {
  if (s.hours.size === 0) return;
  for (const [hour, count] of s.hours) {
    if ((hour + 1) * TIME.HOUR > watermark) continue;
    s.hours.delete(hour);
    if (s.spikeHours.includes(hour)) continue; // an anomalous hour is not normal behaviour
    const r = s.rate;
    r.n++;
    const delta = count - r.mean;
    r.mean += delta / r.n;
    r.m2 += delta * (count - r.mean);
    if (count > r.peak) {
      r.peak = count;
      r.peakHour = hour;
    }
  }
  // spike marks older than the hours still open are no longer needed
  if (s.spikeHours.length > 24) s.spikeHours = s.spikeHours.slice(-24);
}

export function spikeThreshold(s: SubjectState, ctx: EventContext): number {
  const v = ctx.env.config.volume;
  const r = s.rate;
  const sd = r.n > 1 ? Math.sqrt(r.m2 / (r.n - 1)) : 0;
  return Math.max(v.minEvents, Math.ceil(v.peakFactor * r.peak), Math.ceil(r.mean + v.sigmas * sd));
}

/** Counts the event and raises when its hour just reached the threshold. */
export function activityRate(ctx: EventContext, watermark: number): void {
  const s = ctx.subject;
  foldClosedHours(s, watermark);
  const hour = Math.floor(ctx.t / TIME.HOUR);
  const count = (s.hours.get(hour) ?? 0) + 1;
  s.hours.set(hour, count);
  const { config } = ctx.env;
  const warmed = s.firstSeen <= ctx.t - config.warmup.volumeMs && s.rate.n >= config.warmup.volumeMinActiveHours;
  if (!warmed || s.spikeHours.includes(hour)) return;
  const threshold = spikeThreshold(s, ctx);
  if (count < threshold) return;
  s.spikeHours.push(hour);
  const r = s.rate;
  const sd = r.n > 1 ? Math.sqrt(r.m2 / (r.n - 1)) : 0;
  draft(ctx, 'activity_volume_spike', count >= 4 * threshold ? 'high' : 'medium', [ctx.event.id], [
    `${count} events in the hour from ${isoMinute(hour * TIME.HOUR)}, and counting`,
    `usual active hour over ${r.n} hours: ${round(r.mean)} ± ${round(sd)} events; busiest earlier hour: ${r.peak} events (${isoMinute(r.peakHour * TIME.HOUR)})`,
    `threshold for this subject: ${threshold} events per hour`,
  ], { hour_start: new Date(hour * TIME.HOUR).toISOString(), count, threshold, mean: round(r.mean, 2), sd: round(sd, 2), peak: r.peak, active_hours: r.n });
}
