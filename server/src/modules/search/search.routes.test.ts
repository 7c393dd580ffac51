import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_SHIPMENT, demoIds, startTestApp, type Client, type TestApp } from '../../test/harness.js';

let t: TestApp;
let sara: Client;
let ids: Awaited<ReturnType<typeof demoIds>>;

beforeAll(async () => {
  t = await startTestApp();
  sara = t.as(await t.login('sara@demo.caredesk.test'));
  ids = await demoIds(sara);
});
afterAll(() => t?.close());

async function ticket(subject: string, description: string, trackingNumber = 'SA000111222') {
  const res = await sara.post('/api/v1/tickets', {
    subject,
    description,
    categoryId: ids.category('trace'),
    requester: { email: 'reem@riyadh-electronics.example' },
    groupId: ids.group('Key Accounts SA'),
    shipment: { ...COMPLETE_SHIPMENT, trackingNumber },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const numbers = (body: { tickets: { number: number }[] }) => body.tickets.map((x) => x.number);

describe('search', () => {
  it('finds Arabic text whatever the spelling of alef, taa marbuta, alef maqsura, diacritics and tatweel', async () => {
    const a = await ticket('مشكلة في الشحنة المتأخرة', 'العميل أحمد ينتظر منذ أسبوع في المستشفى', 'SA424242001');
    for (const q of ['الشحنه', 'الشحنة', 'الشَّحْنَة', 'الشـــحنة', 'احمد', 'أحمد', 'المستشفي', 'اسبوع']) {
      const res = await sara.get(`/api/v1/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(numbers(res.json()), q).toContain(a.number);
    }
  });

  it('finds English words by stem and highlights them safely', async () => {
    const b = await ticket('Refund for <b>damaged</b> parcels & boxes', 'The cartons were damaged during delivery', 'SA424242002');
    const res = (await sara.get('/api/v1/search?q=damage')).json();
    const hit = res.tickets.find((x: { number: number }) => x.number === b.number);
    expect(hit).toBeDefined();
    expect(hit.snippet).toContain('<mark>');
    expect(hit.snippet).not.toContain('<b>');
    expect(hit.snippet).toContain('&amp;');
  });

  it('finds a ticket by part of its tracking number, by number, and by requester email and phone', async () => {
    const c = await ticket('Where is my order', 'no news', 'SAX98765ZZ');
    expect(numbers((await sara.get('/api/v1/search?q=98765')).json())).toContain(c.number);
    expect(numbers((await sara.get(`/api/v1/search?q=${c.number}`)).json())).toContain(c.number);
    expect(numbers((await sara.get('/api/v1/search?q=reem@riyadh')).json())).toContain(c.number);
    expect(numbers((await sara.get('/api/v1/search?q=0559876543')).json())).toContain(c.number);
  });

  it('finds contacts by name and phone number', async () => {
    const res = (await sara.get(`/api/v1/search?q=${encodeURIComponent('ريم')}`)).json();
    expect(res.contacts.map((x: { name: string }) => x.name)).toContain('ريم العتيبي');
    const byPhone = (await sara.get('/api/v1/search?q=%2B966559876543')).json();
    expect(byPhone.contacts.length).toBeGreaterThan(0);
  });

  it('rejects an empty query with a field error', async () => {
    const res = await sara.get('/api/v1/search?q=');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('q');
  });
});
