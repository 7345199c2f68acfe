/** Signs in through the web app's login form, as a browser without JavaScript would. */
export async function signIn(webUrl: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${webUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, redirectTo: '/inbox' }),
    redirect: 'manual',
  });
  const setCookie = res.headers.get('set-cookie');
  if (res.status !== 302 || !setCookie) throw new Error(`login → ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return setCookie.split(';')[0]!;
}
