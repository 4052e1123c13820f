"""Two emulations of watershed_ift for the tests, written from the algorithm's description:

* ``scipy_ift``: scipy 1.17.1's C code step by step, its two bugs included (neighbours found
  by flat index, so they wrap across axis ends; an element alone in its queue is not unlinked
  when it moves, which corrupts the queues), reporting whether either bug changed anything;
* ``correct_ift``: the same algorithm with neighbours checked axis by axis and proper
  queues: libndimage's documented behaviour.

Both take the image, the markers (as Python ints), the output dtype and the structure.
"""

import itertools

import numpy as np


def offsets(structure):
    """The structure's neighbour offsets in C order, centre excluded."""
    rank = structure.ndim
    out = []
    for k, o in enumerate(itertools.product((-1, 0, 1), repeat=rank)):
        if structure.reshape(-1)[k] and any(o):
            out.append(o)
    return out


def _cast(values, dtype):
    return [int(v) for v in np.array(values, dtype=np.int64).astype(dtype)]


def _c_int(v):
    return ((int(v) + 2**31) % 2**32) - 2**31


def scipy_ift(image, markers, out_dtype, structure):
    """(result, bugged): scipy's result, and whether a wrapped neighbour or a stale queue
    changed anything."""
    shape = image.shape
    rank = image.ndim
    size = image.size
    flat_i = [int(v) for v in image.reshape(-1)]
    flat_m = [_c_int(v) for v in np.asarray(markers).reshape(-1)]
    maxval = max(flat_i) if size else 0
    label = _cast(flat_m, out_dtype)
    cost = [0 if m != 0 else maxval + 1 for m in flat_m]
    done = [False] * size
    nxt, prv = [None] * size, [None] * size
    first, last = [None] * (maxval + 1), [None] * (maxval + 1)
    in_queue = [False] * size
    bugged = False
    for j, m in enumerate(flat_m):
        if m == 0:
            continue
        in_queue[j] = True
        if first[0] is None:
            first[0] = last[0] = j
            nxt[j] = prv[j] = None
        elif m > 0:
            nxt[j], prv[j] = first[0], None
            prv[first[0]] = j
            first[0] = j
        else:
            nxt[j], prv[j] = None, last[0]
            nxt[last[0]] = j
            last[0] = j
    strides = [int(np.prod(shape[a + 1:], dtype=np.int64)) for a in range(rank)]
    offs = offsets(structure)
    steps = [sum(d * s for d, s in zip(o, strides)) for o in offs]
    for jj in range(maxval + 1):
        while first[jj] is not None:
            v = first[jj]
            first[jj] = nxt[v]
            if first[jj] is not None:
                prv[first[jj]] = None
            prv[v] = nxt[v] = None
            done[v] = True
            in_queue[v] = False
            vc = np.unravel_index(v, shape)
            for o, step in zip(offs, steps):
                p = v + step
                if not (0 <= p < size):
                    continue
                wrapped = any(not (0 <= c + d < n) for c, d, n in zip(vc, o, shape))
                if done[p]:
                    continue
                wvp = abs(flat_i[p] - flat_i[v])
                mx = max(cost[v], wvp)
                pcost = cost[p]
                if mx < pcost:
                    bugged |= wrapped
                    cost[p] = mx
                    label[p] = label[v]
                    if nxt[p] is not None or prv[p] is not None:
                        pr, nx = prv[p], nxt[p]
                        if first[pcost] == p:
                            first[pcost] = nx
                        if last[pcost] == p:
                            last[pcost] = pr
                        if pr is not None:
                            nxt[pr] = nx
                        if nx is not None:
                            prv[nx] = pr
                    elif in_queue[p]:
                        bugged = True  # alone in its queue: left linked there
                    in_queue[p] = True
                    if label[v] < 0:
                        prv[p], nxt[p] = last[mx], None
                        if last[mx] is not None:
                            nxt[last[mx]] = p
                        last[mx] = p
                        if first[mx] is None:
                            first[mx] = p
                    else:
                        nxt[p], prv[p] = first[mx], None
                        if first[mx] is not None:
                            prv[first[mx]] = p
                        first[mx] = p
                        if last[mx] is None:
                            last[mx] = p
    return np.array(label, dtype=out_dtype).reshape(shape), bugged


def correct_ift(image, markers, out_dtype, structure):
    """libndimage's documented watershed: axis-checked neighbours, proper queues."""
    from collections import deque

    shape = image.shape
    size = image.size
    flat_i = [int(v) for v in image.reshape(-1)]
    flat_m = [int(v) for v in np.asarray(markers).reshape(-1)]
    maxval = max(flat_i) if size else 0
    label = _cast(flat_m, out_dtype)
    cost = [0 if m != 0 else maxval + 1 for m in flat_m]
    done = [False] * size
    queues = [deque() for _ in range(maxval + 1)]
    for j, m in enumerate(flat_m):
        if m > 0:
            queues[0].appendleft(j)
        elif m < 0:
            queues[0].append(j)
    offs = offsets(structure)
    for jj in range(maxval + 1):
        q = queues[jj]
        while q:
            v = q.popleft()
            done[v] = True
            vc = np.unravel_index(v, shape)
            for o in offs:
                pc = [c + d for c, d in zip(vc, o)]
                if not all(0 <= c < n for c, n in zip(pc, shape)):
                    continue
                p = int(np.ravel_multi_index(pc, shape))
                if done[p]:
                    continue
                mx = max(cost[v], abs(flat_i[p] - flat_i[v]))
                if mx < cost[p]:
                    if cost[p] <= maxval:
                        queues[cost[p]].remove(p)
                    cost[p] = mx
                    label[p] = label[v]
                    if label[v] < 0:
                        queues[mx].append(p)
                    else:
                        queues[mx].appendleft(p)
    return np.array(label, dtype=out_dtype).reshape(shape)
