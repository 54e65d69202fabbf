/** Names Python provides without an import; a star import can never be their source. */
export const PYTHON_BUILTINS: ReadonlySet<string> = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes',
  'callable', 'chr', 'classmethod', 'compile', 'complex', 'delattr', 'dict', 'dir', 'divmod',
  'enumerate', 'eval', 'exec', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals',
  'hasattr', 'hash', 'help', 'hex', 'id', 'input', 'int', 'isinstance', 'issubclass', 'iter', 'len',
  'list', 'locals', 'map', 'max', 'memoryview', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow',
  'print', 'property', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted',
  'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip', '__import__', '__name__',
  '__file__', '__doc__', '__package__', '__spec__', '__builtins__', 'NotImplemented', 'Ellipsis',
  'Exception', 'BaseException', 'ValueError', 'TypeError', 'KeyError', 'ImportError', 'RuntimeError',
  'AttributeError', 'NotImplementedError', 'unicode', 'basestring', 'long', 'xrange',
]);
