/**
 * Library views that are exempt from Django's CSRF check by the library's own `csrf_exempt`, so a
 * project that routes to them has exempt views without writing the decorator. Each entry was
 * checked against the library's source; add one only with the same care.
 */
export interface ExemptEntryPoint {
  /** The canonical name of the class, function or class whose instances' attribute is the view. */
  name: string;
  /** How the view is reached: the class's `as_view()`, the function itself, or an instance attribute. */
  reachedBy: { kind: 'as-view' } | { kind: 'function' } | { kind: 'instance-attribute'; attribute: string };
  library: string;
  /**
   * The body types the view handles, when it turns every other away before a procedure runs:
   * none an HTML form can send, so a cross-site page needs a CORS preflight.
   */
  bodyTypes?: readonly string[];
}

/** django-modern-rpc picks its JSON-RPC or XML-RPC handler by the request's content type and answers any other with an error. */
const MODERN_RPC_BODY_TYPES = ['application/json', 'text/xml'];

export const EXEMPT_ENTRY_POINTS: readonly ExemptEntryPoint[] = [
  // django-modern-rpc before 2.0: `RPCEntryPoint.dispatch` carries `method_decorator(csrf_exempt)`.
  { name: 'modernrpc.views.RPCEntryPoint', reachedBy: { kind: 'as-view' }, library: 'django-modern-rpc', bodyTypes: MODERN_RPC_BODY_TYPES },
  // django-modern-rpc 2.x: `RpcServer().view` is wrapped in `csrf_exempt`.
  { name: 'modernrpc.server.RpcServer', reachedBy: { kind: 'instance-attribute', attribute: 'view' }, library: 'django-modern-rpc', bodyTypes: MODERN_RPC_BODY_TYPES },
  { name: 'modernrpc.RpcServer', reachedBy: { kind: 'instance-attribute', attribute: 'view' }, library: 'django-modern-rpc', bodyTypes: MODERN_RPC_BODY_TYPES },
  // django-xmlrpc: `handle_xmlrpc` is decorated with `@csrf_exempt`.
  { name: 'django_xmlrpc.views.handle_xmlrpc', reachedBy: { kind: 'function' }, library: 'django-xmlrpc' },
];
