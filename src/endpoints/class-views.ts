import type { Project } from '../project/project.js';
import { ANY_METHOD, sortedMethods } from './endpoint.js';

/** Handler methods of a class-based view, by the HTTP method they answer. */
const HANDLERS = new Map([
  ['get', 'GET'],
  ['head', 'HEAD'],
  ['post', 'POST'],
  ['put', 'PUT'],
  ['patch', 'PATCH'],
  ['delete', 'DELETE'],
  // DRF viewset actions.
  ['list', 'GET'],
  ['retrieve', 'GET'],
  ['create', 'POST'],
  ['update', 'PUT'],
  ['partial_update', 'PATCH'],
  ['destroy', 'DELETE'],
]);

/**
 * The methods library base classes answer, by their last name: Django's generic views, DRF's
 * generic views, mixins and viewsets. A base named here adds its methods; one not named makes the
 * list unknown unless the class answers something itself.
 */
const LIBRARY_BASE_METHODS = new Map<string, string[]>([
  ['View', []],
  ['APIView', []],
  ['GenericAPIView', []],
  ['ViewSet', []],
  ['GenericViewSet', []],
  ['ViewSetMixin', []],
  ['RequestHandler', []],
  ['HTTPEndpoint', []],
  ['MethodView', []],
  ['TemplateView', ['GET']],
  ['RedirectView', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
  ['ListView', ['GET']],
  ['DetailView', ['GET']],
  ['ArchiveIndexView', ['GET']],
  ['YearArchiveView', ['GET']],
  ['MonthArchiveView', ['GET']],
  ['DayArchiveView', ['GET']],
  ['DateDetailView', ['GET']],
  ['FormView', ['GET', 'POST']],
  ['CreateView', ['GET', 'POST']],
  ['UpdateView', ['GET', 'POST']],
  ['DeleteView', ['GET', 'POST']],
  ['LoginView', ['GET', 'POST']],
  ['LogoutView', ['POST']],
  ['PasswordChangeView', ['GET', 'POST']],
  ['PasswordResetView', ['GET', 'POST']],
  ['PasswordResetConfirmView', ['GET', 'POST']],
  ['ListModelMixin', ['GET']],
  ['RetrieveModelMixin', ['GET']],
  ['CreateModelMixin', ['POST']],
  ['UpdateModelMixin', ['PUT', 'PATCH']],
  ['DestroyModelMixin', ['DELETE']],
  ['ListAPIView', ['GET']],
  ['RetrieveAPIView', ['GET']],
  ['CreateAPIView', ['POST']],
  ['UpdateAPIView', ['PUT', 'PATCH']],
  ['DestroyAPIView', ['DELETE']],
  ['ListCreateAPIView', ['GET', 'POST']],
  ['RetrieveUpdateAPIView', ['GET', 'PUT', 'PATCH']],
  ['RetrieveDestroyAPIView', ['GET', 'DELETE']],
  ['RetrieveUpdateDestroyAPIView', ['GET', 'PUT', 'PATCH', 'DELETE']],
  // smartmin's views (RapidPro's CRUDLs), read in smartmin/views.py.
  ['SmartView', []],
  ['SmartTemplateView', ['GET']],
  ['SmartReadView', ['GET']],
  ['SmartListView', ['GET']],
  ['SmartCsvView', ['GET']],
  ['SmartXlsView', ['GET']],
  ['SmartFormView', ['GET', 'POST']],
  ['SmartCreateView', ['GET', 'POST']],
  ['SmartUpdateView', ['GET', 'POST']],
  ['SmartDeleteView', ['GET', 'POST']],
  ['SmartModelActionView', ['GET', 'POST']],
  ['ReadOnlyModelViewSet', ['GET']],
  ['ModelViewSet', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']],
]);

/** The ancestors of a class (itself excluded) that are not classes of the scanned code. */
export function libraryAncestors(project: Project, className: string): string[] {
  const found: string[] = [];
  project.inheritsFrom(className, (name) => {
    if (name !== className && !project.isScannedName(name) && name !== 'builtins.object') found.push(name);
    return false;
  });
  return found;
}

/**
 * What a class-based view answers: its own and its scanned bases' handler methods (`post`,
 * `create`...), and those of the library views it is built on. `ANY` when a library base is unknown
 * and the class answers nothing visible.
 */
export function classMethods(project: Project, className: string): string[] {
  const methods = [...HANDLERS].flatMap(([handler, method]) => (project.findMethod(className, handler) || aliasesMethod(project, className, handler) ? [method] : []));
  let unknownBase = false;
  for (const ancestor of libraryAncestors(project, className)) {
    const known = LIBRARY_BASE_METHODS.get(ancestor.slice(ancestor.lastIndexOf('.') + 1));
    if (known) methods.push(...known);
    else unknownBase = true;
  }
  if (methods.length === 0) return unknownBase ? [ANY_METHOD] : [];
  return sortedMethods(methods);
}

/** DRF's viewset actions, by the route a router gives them: the list route or the detail route (`<pk>/`). */
const VIEWSET_ROUTE_HANDLERS = {
  list: new Map([
    ['list', 'GET'],
    ['create', 'POST'],
  ]),
  detail: new Map([
    ['retrieve', 'GET'],
    ['update', 'PUT'],
    ['partial_update', 'PATCH'],
    ['destroy', 'DELETE'],
  ]),
};

/** What DRF's mixins and viewsets answer at each route, by their last name; a viewset base named here answers nothing itself. */
const VIEWSET_BASE_METHODS = new Map<string, { list: string[]; detail: string[] }>([
  ['ListModelMixin', { list: ['GET'], detail: [] }],
  ['CreateModelMixin', { list: ['POST'], detail: [] }],
  ['RetrieveModelMixin', { list: [], detail: ['GET'] }],
  ['UpdateModelMixin', { list: [], detail: ['PUT', 'PATCH'] }],
  ['DestroyModelMixin', { list: [], detail: ['DELETE'] }],
  ['ReadOnlyModelViewSet', { list: ['GET'], detail: ['GET'] }],
  ['ModelViewSet', { list: ['GET', 'POST'], detail: ['GET', 'PUT', 'PATCH', 'DELETE'] }],
]);

/**
 * What a router-registered viewset answers at its list route and at its detail route: its own and
 * its scanned bases' actions (`list`, `retrieve`...) and those of DRF's mixins. `ANY` at both when
 * a library base is unknown and the class answers nothing visible.
 */
export function viewSetRouteMethods(project: Project, className: string): { list: string[]; detail: string[] } {
  const answered = (handlers: Map<string, string>) => [...handlers].flatMap(([handler, method]) => (project.findMethod(className, handler) || aliasesMethod(project, className, handler) ? [method] : []));
  const list = answered(VIEWSET_ROUTE_HANDLERS.list);
  const detail = answered(VIEWSET_ROUTE_HANDLERS.detail);
  let unknownBase = false;
  for (const ancestor of libraryAncestors(project, className)) {
    const lastName = ancestor.slice(ancestor.lastIndexOf('.') + 1);
    const known = VIEWSET_BASE_METHODS.get(lastName);
    if (known) {
      list.push(...known.list);
      detail.push(...known.detail);
    } else if (!LIBRARY_BASE_METHODS.has(lastName)) unknownBase = true;
  }
  if (list.length === 0 && detail.length === 0 && unknownBase) return { list: [ANY_METHOD], detail: [ANY_METHOD] };
  return { list: sortedMethods(list), detail: sortedMethods(detail) };
}

/** `post = get` in the body of the class or of a scanned base: the handler is another method under a second name. */
function aliasesMethod(project: Project, className: string, handler: string): boolean {
  return project.inheritsFrom(className, (name) =>
    project.assignmentsTo(`${name}.${handler}`).some(({ module, assignment }) => {
      if (!assignment.value || (assignment.value.kind !== 'name' && assignment.value.kind !== 'attribute')) return false;
      const target = project.resolve(module, assignment.value, assignment.scope);
      return target !== undefined && project.findDefinition(target)?.definition.kind === 'function';
    }),
  );
}
