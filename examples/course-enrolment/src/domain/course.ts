import { decider, rejection } from '@eventloom/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Purchase } from './purchase.js';

export type CourseEvent =
  | { type: 'course.opened'; data: { courseId: string; title: string; seats: number; price: number } }
  | { type: 'course.access-activated'; data: Purchase };

export type CourseCommand =
  | { type: 'open'; courseId: string; title: string; seats: number; price: number }
  | { type: 'activate-access'; purchase: Purchase };

export interface CourseState {
  readonly open: boolean;
  readonly seats: number;
  readonly students: readonly string[];
}

/** A course and who may follow it: a paid purchase gets a seat while seats are left, once per student. */
export const course = decider<CourseCommand, CourseEvent, CourseState>({
  name: 'course',
  eventTypes: { 'course.opened': true, 'course.access-activated': true },
  initialState: () => ({ open: false, seats: 0, students: [] }),
  evolve: (state, event) =>
    event.type === 'course.opened'
      ? { ...state, open: true, seats: event.data.seats }
      : { ...state, students: [...state.students, event.data.studentId] },
  decide: (command, state) => {
    if (command.type === 'open') {
      if (state.open) return E.right([]);
      const { courseId, title, seats, price } = command;
      return E.right([{ type: 'course.opened', data: { courseId, title, seats, price } }]);
    }
    const { purchase } = command;
    if (!state.open) return E.left(rejection('no-such-course'));
    if (state.students.includes(purchase.studentId)) return E.left(rejection('already-enrolled'));
    if (state.students.length >= state.seats) return E.left(rejection('course-full'));
    return E.right([{ type: 'course.access-activated', data: purchase }]);
  },
});
