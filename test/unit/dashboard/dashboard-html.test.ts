import { describe, expect, it } from 'vitest';
import { dashboardHtml } from '../../../dashboard/dashboard-html.js';

describe('dashboardHtml', () => {
  it('is one self-contained page: no external scripts, styles or images', () => {
    const html = dashboardHtml();

    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/url\(/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('polls the dashboard state relative to the page, every second', () => {
    const html = dashboardHtml();

    expect(html).toContain("fetch('dashboard/state'");
    expect(html).toContain('POLL_MS = 1000');
  });

  it('announces updates politely to assistive technology', () => {
    const html = dashboardHtml();

    expect(html).toContain('role="status" aria-live="polite"');
  });
});
