import { createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { withTenant, type Tx } from '../../../db/client.js';
import { emailKey, phoneDigits, phoneKey } from '../../../db/contact-keys.js';
import { accounts, ATTRIBUTE_TYPES, contactAttributeDefinitions, contacts, users } from '../../../db/schema/index.js';
import { assertCan } from '../../auth/permissions.js';
import { AppError, ErrorBody, notFound } from '../../errors.js';
import { requireUser } from '../../middleware/auth.js';
import { IdParam, bearerSecurity as security, errorResponses as errors, jsonBody, jsonResponse, newRouter } from '../../router.js';
import { Text } from '../../schemas.js';
import { checkAttributes } from './contact-attributes.js';
import { ContactFilters, contactListWhere } from './contact-list-filters.js';
import { ContactView, contactView } from './contact-views.js';

const ContactSummary = z
  .object({
    id: z.string().uuid(), name: z.string().nullable(), email: z.string().nullable(), phone: z.string().nullable(), tags: z.array(z.string()),
    attributes: z.record(z.string(), z.unknown()), accountId: z.string().uuid().nullable(), ownerId: z.string().uuid().nullable(), createdAt: z.string(),
  })
  .openapi('ContactSummary');
const ContactInput = z.object({
  name: Text(1, 200).nullable().optional(),
  email: z.string().trim().toLowerCase().email().max(320).nullable().optional(),
  phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,30}$/, 'a phone number, like +31 6 1234 5678').nullable().optional(),
  tags: z.array(Text(1, 60)).max(50).optional(),
  attributes: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _'), z.unknown()).optional(),
  accountId: z.string().uuid().nullable().optional(),
  ownerId: z.string().uuid().nullable().optional(),
});
const AccountView = z.object({ id: z.string().uuid(), name: z.string(), domain: z.string().nullable(), createdAt: z.string() }).openapi('Account');
const DefinitionView = z.object({ key: z.string(), label: z.string(), type: z.enum(ATTRIBUTE_TYPES), options: z.array(z.string()).nullable() }).openapi('ContactAttributeDefinition');

const summary = (c: typeof contacts.$inferSelect) => ({ id: c.id, name: c.name, email: c.email, phone: c.phone, tags: c.tags, attributes: c.attributes, accountId: c.accountId, ownerId: c.ownerId, createdAt: c.createdAt.toISOString() });

/** Checks references and typed attributes, and that no other contact has this email or phone (a duplicate is a 409 naming it). */
async function checkInput(tx: Tx, body: z.infer<typeof ContactInput>, self?: string) {
  if (body.attributes) {
    const errs = checkAttributes(await tx.select().from(contactAttributeDefinitions), body.attributes);
    if (errs.length) throw new AppError('validation_failed', errs.map((e) => e.message).join('; '), errs);
  }
  if (body.accountId && !(await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, body.accountId))).length) throw new AppError('validation_failed', 'no such account', [{ field: 'accountId', message: 'not an account of this workspace' }]);
  if (body.ownerId && !(await tx.select({ id: users.id }).from(users).where(eq(users.id, body.ownerId))).length) throw new AppError('validation_failed', 'no such user', [{ field: 'ownerId', message: 'not a user of this workspace' }]);
  const notSelf = self ? sql`${contacts.id} <> ${self}` : sql`true`;
  if (body.email) {
    const [dup] = await tx.select({ id: contacts.id }).from(contacts).where(and(eq(emailKey, body.email), isNull(contacts.mergedInto), notSelf));
    if (dup) throw new AppError('conflict', `contact ${dup.id} already has this email`, [{ field: 'email', message: `already used by contact ${dup.id}` }]);
  }
  if (body.phone) {
    const [dup] = await tx.select({ id: contacts.id }).from(contacts).where(and(eq(phoneKey, phoneDigits(body.phone)), isNull(contacts.mergedInto), notSelf));
    if (dup) throw new AppError('conflict', `contact ${dup.id} already has this phone number`, [{ field: 'phone', message: `already used by contact ${dup.id}` }]);
  }
}

export const contactCrudRoutes = newRouter();
contactCrudRoutes.use('/contacts', requireUser);
contactCrudRoutes.use('/contacts/*', requireUser);
contactCrudRoutes.use('/accounts', requireUser);
contactCrudRoutes.use('/contact-attributes', requireUser);

contactCrudRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/contacts',
    tags: ['contacts'],
    summary: 'Contacts, newest first: search by name (fuzzy), email or phone; filter by tag, owner, account or an attribute',
    security,
    request: {
      query: ContactFilters.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
    },
    responses: { 200: jsonResponse('Contacts', z.object({ contacts: z.array(ContactSummary) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const q = c.req.valid('query');
    const where = await contactListWhere(c.get('deps').db, p.tenantId, q, q.limit);
    if (!where) return c.json({ contacts: [] }, 200);
    const { filters, order } = where;
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(contacts).where(and(...filters)).orderBy(...order).limit(q.limit));
    return c.json({ contacts: rows.map(summary) }, 200);
  },
);

contactCrudRoutes.openapi(
  createRoute({ method: 'post', path: '/contacts', tags: ['contacts'], summary: 'Create a contact (its email and phone must not belong to another)', security, request: jsonBody(ContactInput.refine((b) => !!(b.name || b.email || b.phone), 'give a name, an email or a phone number')), responses: { 201: jsonResponse('Created', z.object({ contact: ContactView })), 409: jsonResponse('Duplicate', ErrorBody), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const body = c.req.valid('json');
    const contact = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await checkInput(tx, body);
      const attributes = Object.fromEntries(Object.entries(body.attributes ?? {}).filter(([, v]) => v !== null));
      const [row] = await tx
        .insert(contacts)
        .values({ tenantId: p.tenantId, name: body.name ?? null, email: body.email ?? null, phone: body.phone ?? null, tags: [...new Set(body.tags ?? [])], attributes, accountId: body.accountId ?? null, ownerId: body.ownerId ?? null })
        .returning({ id: contacts.id });
      return contactView(tx, row.id);
    });
    return c.json({ contact }, 201);
  },
);

contactCrudRoutes.openapi(
  createRoute({ method: 'patch', path: '/contacts/{id}', tags: ['contacts'], summary: 'Change a contact; attributes merge in (null removes one)', security, request: { params: IdParam, ...jsonBody(ContactInput) }, responses: { 200: jsonResponse('Contact', z.object({ contact: ContactView })), 409: jsonResponse('Duplicate', ErrorBody), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const contact = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [current] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
      if (!current) throw notFound('contact');
      await checkInput(tx, body, id);
      let attributes = current.attributes;
      if (body.attributes) {
        attributes = { ...current.attributes };
        for (const [k, v] of Object.entries(body.attributes)) if (v === null) delete attributes[k];
        else attributes[k] = v;
      }
      await tx
        .update(contacts)
        .set({
          ...(body.name !== undefined && { name: body.name }),
          ...(body.email !== undefined && { email: body.email }),
          ...(body.phone !== undefined && { phone: body.phone }),
          ...(body.tags !== undefined && { tags: [...new Set(body.tags)] }),
          ...(body.accountId !== undefined && { accountId: body.accountId }),
          ...(body.ownerId !== undefined && { ownerId: body.ownerId }),
          attributes,
          updatedAt: sql`now()`,
        })
        .where(eq(contacts.id, id));
      return contactView(tx, id);
    });
    return c.json({ contact }, 200);
  },
);

contactCrudRoutes.openapi(
  createRoute({ method: 'delete', path: '/contacts/{id}', tags: ['contacts'], summary: 'Delete a contact and everything of theirs (conversations, leads): the right to erasure', security, request: { params: IdParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:manage');
    const [row] = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.delete(contacts).where(eq(contacts.id, c.req.valid('param').id)).returning({ id: contacts.id }));
    if (!row) throw notFound('contact');
    return c.body(null, 204);
  },
);

contactCrudRoutes.openapi(
  createRoute({ method: 'get', path: '/accounts', tags: ['contacts'], summary: 'Accounts (companies), by name', security, responses: { 200: jsonResponse('Accounts', z.object({ accounts: z.array(AccountView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(accounts).orderBy(asc(accounts.name)).limit(1000));
    return c.json({ accounts: rows.map((a) => ({ id: a.id, name: a.name, domain: a.domain, createdAt: a.createdAt.toISOString() })) }, 200);
  },
);

contactCrudRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/contacts/{id}/convert-to-account',
    tags: ['contacts'],
    summary: "Make a contact a customer account: an account named after its company (or the contact), which the contact joins",
    security,
    request: { params: IdParam, ...jsonBody(z.object({ name: Text(1, 200).optional(), domain: Text(1, 200).optional() })) },
    responses: { 201: jsonResponse('Converted', z.object({ account: AccountView, contact: ContactView })), 409: jsonResponse('Name taken', ErrorBody), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:write');
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const out = await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      const [contact] = await tx.select().from(contacts).where(eq(contacts.id, id)).for('update');
      if (!contact) throw notFound('contact');
      const company = typeof contact.attributes.company === 'string' ? contact.attributes.company : null;
      const name = body.name ?? company ?? contact.name ?? contact.email;
      if (!name) throw new AppError('validation_failed', 'the contact has no name or company to name the account after', [{ field: 'name', message: 'required for this contact' }]);
      const domain = body.domain ?? contact.email?.split('@')[1] ?? null;
      const [account] = await tx.insert(accounts).values({ tenantId: p.tenantId, name, domain }).returning();
      await tx.update(contacts).set({ accountId: account.id, updatedAt: sql`now()` }).where(eq(contacts.id, id));
      return { account: { id: account.id, name: account.name, domain: account.domain, createdAt: account.createdAt.toISOString() }, contact: await contactView(tx, id) };
    });
    return c.json(out, 201);
  },
);

contactCrudRoutes.openapi(
  createRoute({ method: 'get', path: '/contact-attributes', tags: ['contacts'], summary: "The workspace's typed contact attributes", security, responses: { 200: jsonResponse('Definitions', z.object({ attributes: z.array(DefinitionView) })), ...errors } }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:read');
    const rows = await withTenant(c.get('deps').db, p.tenantId, (tx) => tx.select().from(contactAttributeDefinitions).orderBy(asc(contactAttributeDefinitions.key)));
    return c.json({ attributes: rows.map(({ key, label, type, options }) => ({ key, label, type, options })) }, 200);
  },
);

contactCrudRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/contact-attributes',
    tags: ['contacts'],
    summary: "Define the workspace's contact attributes and their types (the whole list)",
    security,
    request: jsonBody(
      z.object({
        attributes: z
          .array(
            z
              .object({ key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'letters, digits and _'), label: Text(1, 80), type: z.enum(ATTRIBUTE_TYPES), options: z.array(Text(1, 80)).min(1).max(100).optional() })
              .refine((d) => d.type !== 'select' || !!d.options?.length, { message: 'a select needs options', path: ['options'] }),
          )
          .max(100)
          .refine((ds) => new Set(ds.map((d) => d.key)).size === ds.length, 'keys must be unique'),
      }),
    ),
    responses: { 200: jsonResponse('Definitions', z.object({ attributes: z.array(DefinitionView) })), ...errors },
  }),
  async (c) => {
    const p = c.get('principal');
    assertCan(p, 'crm:manage');
    const { attributes } = c.req.valid('json');
    await withTenant(c.get('deps').db, p.tenantId, async (tx) => {
      await tx.delete(contactAttributeDefinitions);
      if (attributes.length) await tx.insert(contactAttributeDefinitions).values(attributes.map((a) => ({ tenantId: p.tenantId, key: a.key, label: a.label, type: a.type, options: a.options ?? null })));
    });
    return c.json({ attributes: attributes.map((a) => ({ ...a, options: a.options ?? null })) }, 200);
  },
);

